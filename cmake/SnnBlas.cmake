# Finds OpenBLAS (never the reference BLAS) and provides the imported target snn::openblas
# with cblas.h on its include path.
#
# OpenBLAS's OpenMP build is preferred: it runs its GEMMs on the same libgomp thread pool as
# snn's own kernels. With the pthread build, OpenBLAS's workers keep spinning after a GEMM
# while our OpenMP workers start, and on a 2-core machine the two pools roughly double the
# time of alternating GEMM and LIF calls. The library's run path points at the OpenMP build so
# the system-wide libopenblas.so.0 alternative (often the pthread build) does not win.
include_guard(GLOBAL)

set(SNN_OPENBLAS_OPENMP_DIR "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp"
    CACHE PATH "Folder of OpenBLAS's OpenMP build (Debian: libopenblas-openmp-dev)")

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND AND EXISTS "${SNN_OPENBLAS_OPENMP_DIR}/pkgconfig/openblas.pc")
  set(_snn_saved_pc_path "$ENV{PKG_CONFIG_PATH}")
  set(ENV{PKG_CONFIG_PATH} "${SNN_OPENBLAS_OPENMP_DIR}/pkgconfig")
  pkg_check_modules(SNN_OPENBLAS QUIET IMPORTED_TARGET GLOBAL openblas)
  set(ENV{PKG_CONFIG_PATH} "${_snn_saved_pc_path}")
  if(SNN_OPENBLAS_FOUND)
    set(SNN_OPENBLAS_RUNPATH "${SNN_OPENBLAS_OPENMP_DIR}")
    set(_snn_blas_variant "OpenMP build")
  endif()
endif()
if(NOT SNN_OPENBLAS_FOUND AND PKG_CONFIG_FOUND)
  pkg_check_modules(SNN_OPENBLAS QUIET IMPORTED_TARGET GLOBAL openblas)
  set(_snn_blas_variant "default build (install libopenblas-openmp-dev for the OpenMP build)")
endif()

if(SNN_OPENBLAS_FOUND)
  add_library(snn::openblas ALIAS PkgConfig::SNN_OPENBLAS)
  message(STATUS "snn: OpenBLAS ${SNN_OPENBLAS_VERSION}, ${_snn_blas_variant} (${SNN_OPENBLAS_LINK_LIBRARIES})")
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
