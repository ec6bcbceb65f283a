# Helpers that give every Sinter target the same compile and link setup.
#
# libMLIR.so and libLLVM.so are built without RTTI and exceptions; code that subclasses their types
# (passes, dialects, patterns) must match. Code that talks to the ONNX library needs exceptions (it throws),
# so it lives in its own targets set up with sinter_onnx_target(): exceptions on, RTTI still off
# (they use MLIR too), and every exception caught before it leaves the target.

function(sinter_mlir_target target)
  target_compile_options(${target} PRIVATE -fno-rtti -fno-exceptions -Wall -Wno-unused-parameter)
  target_link_libraries(${target} PUBLIC MLIR LLVM)
endfunction()

function(sinter_onnx_target target)
  target_compile_options(${target} PRIVATE -fexceptions -fno-rtti -Wall -Wno-unused-parameter)
  target_link_libraries(${target} PUBLIC MLIR LLVM onnx onnx_proto protobuf::libprotobuf)
endfunction()

# sinter_tablegen(<target> <td-file> <generator flag>:<output> ...): runs mlir-tblgen per pair, and groups the
# outputs under one IncGen target that libraries depend on.
function(sinter_tablegen target td)
  set(LLVM_TARGET_DEFINITIONS ${td})
  foreach(pair ${ARGN})
    string(REPLACE ":" ";" parts ${pair})
    list(GET parts 0 flags)
    list(GET parts 1 output)
    separate_arguments(flags UNIX_COMMAND ${flags})
    mlir_tablegen(${output} ${flags})
  endforeach()
  add_public_tablegen_target(${target})
endfunction()
