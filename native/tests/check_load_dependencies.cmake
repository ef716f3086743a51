# Fails when libsnn.so needs a CUDA library at load time: the CUDA runtime must be linked
# statically and cuBLAS loaded on demand, so one build also loads on machines without CUDA.
# Usage: cmake -DOBJDUMP=... -DLIBRARY=... -P check_load_dependencies.cmake
execute_process(COMMAND ${OBJDUMP} -p ${LIBRARY} OUTPUT_VARIABLE dump RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "objdump -p ${LIBRARY} failed")
endif()
string(REGEX MATCHALL "NEEDED +[^\n]+" needed "${dump}")
if(NOT needed)
  message(FATAL_ERROR "no NEEDED entries found in ${LIBRARY}: objdump output not understood")
endif()
foreach(entry IN LISTS needed)
  if(entry MATCHES "(cudart|cublas|libcuda|nvrtc)")
    message(FATAL_ERROR "${LIBRARY} needs a CUDA library at load time (${entry}); link cudart statically and load the rest on demand")
  endif()
endforeach()
message(STATUS "load-time dependencies: ${needed}")
