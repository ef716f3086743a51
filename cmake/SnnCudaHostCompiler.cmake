# nvcc only accepts host compilers it was validated with: CUDA 11.8 rejects g++ 12, Debian's
# default. When no host compiler was chosen (CMAKE_CUDA_HOST_COMPILER or $CUDAHOSTCXX), this
# compiles a probe with nvcc's default host compiler and, if that fails, tries older g++ and
# clang++ releases until nvcc accepts one. The choice is exported through $CUDAHOSTCXX too,
# because check_language(CUDA) runs in a child CMake that only sees the environment.
include_guard(GLOBAL)

function(snn_pick_cuda_host_compiler)
  if(CMAKE_CUDA_HOST_COMPILER OR DEFINED ENV{CUDAHOSTCXX} OR DEFINED CMAKE_CUDA_COMPILER)
    return()
  endif()
  if(DEFINED ENV{CUDACXX})
    set(nvcc "$ENV{CUDACXX}")
  else()
    find_program(SNN_NVCC_EXECUTABLE nvcc)
    set(nvcc "${SNN_NVCC_EXECUTABLE}")
  endif()
  if(NOT nvcc OR NOT EXISTS "${nvcc}")
    return()
  endif()

  set(dir "${CMAKE_BINARY_DIR}/CMakeFiles/SnnCudaHostProbe")
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${dir}/probe.cu" "#include <cstdint>\n__global__ void k(float* x) { x[threadIdx.x] = 1.0f; }\n")

  execute_process(COMMAND "${nvcc}" -std=c++17 -c probe.cu -o probe.o
                  WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(rc EQUAL 0)
    return()
  endif()

  foreach(candidate g++-11 g++-10 g++-9 clang++-14 clang++-13 clang++-12 clang++-11)
    find_program(path NAMES ${candidate} NO_CACHE)
    if(path)
      execute_process(COMMAND "${nvcc}" -ccbin "${path}" -std=c++17 -c probe.cu -o probe.o
                      WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
      if(rc EQUAL 0)
        message(STATUS "snn: nvcc rejects its default host compiler; using ${path}")
        set(CMAKE_CUDA_HOST_COMPILER "${path}" CACHE FILEPATH "Host compiler used by nvcc")
        set(ENV{CUDAHOSTCXX} "${path}")
        return()
      endif()
    endif()
    unset(path)
  endforeach()
  message(STATUS "snn: nvcc found at ${nvcc} but it accepts none of the host compilers tried")
endfunction()
