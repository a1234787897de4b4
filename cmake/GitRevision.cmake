# Stamps the build with the git revision so every cube records which code produced it.
execute_process(
  COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  OUTPUT_VARIABLE EQSWEEP_GIT_REVISION
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
execute_process(
  COMMAND git status --porcelain --untracked-files=no
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  OUTPUT_VARIABLE EQSWEEP_GIT_DIRTY
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(NOT EQSWEEP_GIT_REVISION)
  set(EQSWEEP_GIT_REVISION "unknown")
elseif(EQSWEEP_GIT_DIRTY)
  set(EQSWEEP_GIT_REVISION "${EQSWEEP_GIT_REVISION}-dirty")
endif()
configure_file(${CMAKE_SOURCE_DIR}/engine/version.hpp.in ${CMAKE_BINARY_DIR}/generated/eqsweep/version.hpp @ONLY)
