# ctest check that needs no GPU: libsnn.so carries device code for every architecture in
# CMAKE_CUDA_ARCHITECTURES, and the kernels of src/kernels/*.cu and src/neurons/*.cu are in it.
#   cmake -DCUOBJDUMP=<cuobjdump> -DLIBRARY=<libsnn.so> -DARCHITECTURES="70;80;90" -P check_cuda_binary.cmake
execute_process(COMMAND "${CUOBJDUMP}" --list-elf "${LIBRARY}" OUTPUT_VARIABLE elf RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cuobjdump --list-elf failed: ${err}")
endif()
foreach(arch ${ARCHITECTURES})
  string(REGEX REPLACE "-(real|virtual)$" "" number "${arch}")
  if(NOT number MATCHES "^[0-9]+$")
    continue()  # "native", "all", ...: nothing fixed to check
  endif()
  if(arch MATCHES "-virtual$")
    continue()  # PTX only, no cubin
  endif()
  if(NOT elf MATCHES "sm_${number}\\.cubin")
    message(FATAL_ERROR "no sm_${number} code in ${LIBRARY}:\n${elf}")
  endif()
endforeach()

execute_process(COMMAND "${CUOBJDUMP}" --dump-elf-symbols "${LIBRARY}" OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
foreach(kernel feed_forward_kernel recurrent_step_kernel poisson_kernel find_outside_range_kernel uniform_kernel fill_kernel broadcast_rows_kernel)
  if(NOT symbols MATCHES "${kernel}")
    message(FATAL_ERROR "kernel ${kernel} is missing from the device code of ${LIBRARY}")
  endif()
endforeach()
message(STATUS "device code for ${ARCHITECTURES} with every snn kernel")
