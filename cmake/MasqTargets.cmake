# Shared target settings: warnings stay PRIVATE to our own targets so that
# consumers (tests, benches) choose their own flags.
function(masq_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wdouble-promotion -Wimplicit-fallthrough)
  if(MASQ_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    # GCC 12's array-bounds, stringop and restrict checks fire falsely
    # inside libstdc++ (vector::insert, memcpy of std::array, string
    # concatenation) at -O2 and above (GCC bugs 105651, 107852, 105329):
    # shown, but not fatal.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE
        -Wno-error=array-bounds -Wno-error=stringop-overflow -Wno-error=stringop-overread
        -Wno-error=restrict)
    endif()
  endif()
endfunction()

# masq_library(<name> SOURCES ... DEPS ...): one component, one target,
# public headers under include/masq/<name>/.
function(masq_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(masq_${name} STATIC ${ARG_SOURCES})
  add_library(masq::${name} ALIAS masq_${name})
  target_include_directories(masq_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(masq_${name} PUBLIC ${ARG_DEPS})
  masq_warnings(masq_${name})
endfunction()
