# Compiler settings shared by the library and its tests.
include_guard(GLOBAL)

# snn_strict(<target>): warnings as errors, and no floating-point contraction, so that
# a*b+c is never fused into an FMA: the CPU and CUDA LIF recurrences then round identically
# and match naive reference loops bit for bit.
function(snn_strict target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Werror -ffp-contract=off>
    $<$<COMPILE_LANGUAGE:CUDA>:--fmad=false -Werror=all-warnings -Xcompiler=-Wall,-Wextra,-Werror>)
endfunction()

# SNN_SANITIZE: comma- or semicolon-separated -fsanitize list (e.g. "address,undefined"),
# applied to host C++ code of every target defined after this point.
set(SNN_SANITIZE "" CACHE STRING "Sanitizers for host C++ code, e.g. address,undefined")
if(SNN_SANITIZE)
  string(REPLACE ";" "," _snn_sanitize "${SNN_SANITIZE}")
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-fsanitize=${_snn_sanitize}>
                      $<$<COMPILE_LANGUAGE:CXX>:-fno-omit-frame-pointer>
                      $<$<COMPILE_LANGUAGE:CXX>:-fno-sanitize-recover=all>)
  add_link_options(-fsanitize=${_snn_sanitize})
  message(STATUS "snn: sanitizers ${_snn_sanitize}")
endif()
