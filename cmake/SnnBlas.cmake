# Finds OpenBLAS (never the reference BLAS) and provides the imported target snn::openblas
# with cblas.h on its include path.
include_guard(GLOBAL)

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(SNN_OPENBLAS QUIET IMPORTED_TARGET openblas)
endif()

if(SNN_OPENBLAS_FOUND)
  add_library(snn::openblas ALIAS PkgConfig::SNN_OPENBLAS)
  message(STATUS "snn: OpenBLAS ${SNN_OPENBLAS_VERSION} via pkg-config (${SNN_OPENBLAS_LINK_LIBRARIES})")
else()
  set(BLA_VENDOR OpenBLAS)
  find_package(BLAS REQUIRED)
  find_path(SNN_OPENBLAS_INCLUDE_DIR cblas.h
            PATH_SUFFIXES openblas openblas-pthread x86_64-linux-gnu/openblas-pthread)
  if(NOT SNN_OPENBLAS_INCLUDE_DIR)
    message(FATAL_ERROR "OpenBLAS was found but not its cblas.h; install libopenblas-dev")
  endif()
  add_library(snn_openblas INTERFACE)
  target_link_libraries(snn_openblas INTERFACE ${BLAS_LIBRARIES})
  target_include_directories(snn_openblas SYSTEM INTERFACE ${SNN_OPENBLAS_INCLUDE_DIR})
  add_library(snn::openblas ALIAS snn_openblas)
  message(STATUS "snn: OpenBLAS via FindBLAS (${BLAS_LIBRARIES})")
endif()
