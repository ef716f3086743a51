# Decides whether the CUDA backend is built (sets SNN_WITH_CUDA) and enables the CUDA language.
#
#   SNN_CUDA=AUTO  build it when a working nvcc is found (default)
#   SNN_CUDA=ON    build it or fail the configure step
#   SNN_CUDA=OFF   never build it
#
# Architectures default to 70;80;90 (V100, A100, H100); override with -DCMAKE_CUDA_ARCHITECTURES=...
# A GPU is never needed to build: every .cu file is compiled whenever nvcc is usable.
include_guard(GLOBAL)

set(SNN_CUDA AUTO CACHE STRING "Build the CUDA backend: AUTO (when nvcc is found), ON (required) or OFF")
set_property(CACHE SNN_CUDA PROPERTY STRINGS AUTO ON OFF)
string(TOUPPER "${SNN_CUDA}" _snn_cuda_mode)
if(NOT _snn_cuda_mode MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "SNN_CUDA must be AUTO, ON or OFF, got '${SNN_CUDA}'")
endif()

set(SNN_WITH_CUDA OFF)
if(NOT _snn_cuda_mode STREQUAL "OFF")
  include(SnnCudaHostCompiler)
  snn_pick_cuda_host_compiler()

  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES "70;80;90" CACHE STRING "CUDA architectures snn is compiled for")
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(SNN_WITH_CUDA ON)
    message(STATUS "snn: CUDA backend ON (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, host compiler "
                   "'${CMAKE_CUDA_HOST_COMPILER}', architectures ${CMAKE_CUDA_ARCHITECTURES})")
  elseif(_snn_cuda_mode STREQUAL "ON")
    message(FATAL_ERROR "SNN_CUDA=ON but no working CUDA compiler was found. Install the CUDA "
                        "toolkit (nvcc), point CMAKE_CUDA_COMPILER at it, or configure with "
                        "-DSNN_CUDA=AUTO or OFF.")
  else()
    message(STATUS "snn: CUDA backend OFF (no working nvcc found; SNN_CUDA=AUTO)")
  endif()
else()
  message(STATUS "snn: CUDA backend OFF (SNN_CUDA=OFF)")
endif()
