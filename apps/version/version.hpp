// The version the programs print (--version, masqctl status, the start
// log): `git describe` of the tree they were built from, made at build
// time (describe.cmake), or the project version without a git checkout.
#pragma once

namespace masq {

const char* version();

}  // namespace masq
