# Finds OpenBLAS (never the reference BLAS) and provides the imported target snn::openblas
# with cblas.h on its include path.
#
# Preferred: OpenBLAS's OpenMP build, linked statically (Debian: libopenblas-openmp-dev).
# - OpenMP: its GEMMs run on the same libgomp thread pool as snn's own kernels. With the
#   pthread build, OpenBLAS's workers keep spinning after a GEMM while our OpenMP workers
#   start, and on 2 cores alternating GEMM and LIF calls take about twice as long.
# - Static: a shared libopenblas.so.0 that numpy or torch loaded first (usually the pthread
#   build) would otherwise be reused by the dynamic linker whatever our run path says; and
#   libsnn.so then needs no BLAS installed where it is used (the NuGet package).
# Otherwise any shared OpenBLAS found by pkg-config or FindBLAS.
include_guard(GLOBAL)

option(SNN_OPENBLAS_STATIC "Link OpenBLAS's OpenMP build statically when it is installed" ON)
set(SNN_OPENBLAS_OPENMP_DIR "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp"
    CACHE PATH "Folder of OpenBLAS's OpenMP build")
set(SNN_OPENBLAS_OPENMP_INCLUDE "/usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp"
    CACHE PATH "cblas.h of OpenBLAS's OpenMP build")

if(SNN_OPENBLAS_STATIC AND EXISTS "${SNN_OPENBLAS_OPENMP_DIR}/libopenblas.a"
   AND EXISTS "${SNN_OPENBLAS_OPENMP_INCLUDE}/cblas.h")
  add_library(snn_openblas INTERFACE)
  target_link_libraries(snn_openblas INTERFACE "${SNN_OPENBLAS_OPENMP_DIR}/libopenblas.a" m)
  target_include_directories(snn_openblas SYSTEM INTERFACE "${SNN_OPENBLAS_OPENMP_INCLUDE}")
  add_library(snn::openblas ALIAS snn_openblas)
  message(STATUS "snn: OpenBLAS OpenMP build, static (${SNN_OPENBLAS_OPENMP_DIR}/libopenblas.a)")
  return()
endif()

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(SNN_OPENBLAS QUIET IMPORTED_TARGET GLOBAL openblas)
endif()
if(SNN_OPENBLAS_FOUND)
  add_library(snn::openblas ALIAS PkgConfig::SNN_OPENBLAS)
  message(STATUS "snn: OpenBLAS ${SNN_OPENBLAS_VERSION}, shared (${SNN_OPENBLAS_LINK_LIBRARIES}); "
                 "install libopenblas-openmp-dev for the static OpenMP build")
else()
  set(BLA_VENDOR OpenBLAS)
  find_package(BLAS REQUIRED)
  find_path(SNN_OPENBLAS_INCLUDE_DIR cblas.h
            PATH_SUFFIXES openblas openblas-openmp openblas-pthread
                          ${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp ${CMAKE_LIBRARY_ARCHITECTURE}/openblas-pthread)
  if(NOT SNN_OPENBLAS_INCLUDE_DIR)
    message(FATAL_ERROR "OpenBLAS was found but not its cblas.h; install libopenblas-openmp-dev")
  endif()
  add_library(snn_openblas INTERFACE)
  target_link_libraries(snn_openblas INTERFACE ${BLAS_LIBRARIES})
  target_include_directories(snn_openblas SYSTEM INTERFACE ${SNN_OPENBLAS_INCLUDE_DIR})
  add_library(snn::openblas ALIAS snn_openblas)
  message(STATUS "snn: OpenBLAS via FindBLAS (${BLAS_LIBRARIES})")
endif()
