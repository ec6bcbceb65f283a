// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// STFT with a run-time frame_step and a window: a reduction over the 16 window samples (the f64 operand
// gives the loop its bounds); the body reads frame_step, the signal at f * step + n and the window, computes
// the twiddle angle 2 pi (k n mod 16) / 16 and accumulates in f64; the result is truncated to f32.
// CHECK-LABEL: func @stft_window
// CHECK: %[[SAMPLES:.*]] = tensor.empty() : tensor<16xf64>
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[SAMPLES]] : tensor<16xf64>) outs(%{{.*}} : tensor<1x15x9x2xf64>)
// CHECK: tensor.extract %arg1[] : tensor<i64>
// CHECK: tensor.extract %arg0
// CHECK: tensor.extract %arg2
// CHECK: arith.remui
// CHECK: math.cos
// CHECK: math.sin
// CHECK: linalg.generic {{.*}} ins(%[[ACC]] : tensor<1x15x9x2xf64>) outs(%{{.*}} : tensor<1x15x9x2xf32>)
// CHECK: arith.truncf
func.func @stft_window(%x: tensor<1x128x1xf32>, %step: tensor<i64>, %w: tensor<16xf32>) -> tensor<1x15x9x2xf32> {
  %n = graph.none
  %0 = graph.STFT(%x, %step, %w, %n) : (tensor<1x128x1xf32>, tensor<i64>, tensor<16xf32>, none) -> tensor<1x15x9x2xf32>
  return %0 : tensor<1x15x9x2xf32>
}
