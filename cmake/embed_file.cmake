# Writes OUTPUT, a C++ source defining the bytes of INPUT as
# masq::app::SYMBOL and its size as SYMBOL_size.
#   cmake -DINPUT=... -DOUTPUT=... -DSYMBOL=... -P embed_file.cmake
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}"
  "// Generated from ${INPUT} by cmake/embed_file.cmake.\n"
  "#include <cstddef>\n#include <cstdint>\n"
  "namespace masq::app {\n"
  "extern const std::uint8_t ${SYMBOL}[] = {${bytes}};\n"
  "extern const std::size_t ${SYMBOL}_size = sizeof(${SYMBOL});\n"
  "}  // namespace masq::app\n")
