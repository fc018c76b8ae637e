# Writes OUTPUT from TEMPLATE with MASQ_VERSION set to `git describe
# --tags --always --dirty` of SOURCE_DIR, prefixed with FALLBACK (the
# project version) while no tag exists; FALLBACK alone when there is no
# git checkout (a release tarball). configure_file leaves OUTPUT untouched
# when the text is the same.
execute_process(
  COMMAND git -C ${SOURCE_DIR} describe --tags --always --dirty
  OUTPUT_VARIABLE describe OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE failed ERROR_QUIET)
if(failed OR describe STREQUAL "")
  set(MASQ_VERSION "${FALLBACK}")
elseif(describe MATCHES "^[0-9a-f]+(-dirty)?$")
  set(MASQ_VERSION "${FALLBACK}-g${describe}")
else()
  set(MASQ_VERSION "${describe}")
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
