// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// GridSample, bilinear, zeros padding: one generic over the result; the body reads the grid's (x, y),
// floors them and gathers the 2 x 2 neighbourhood, zero outside the image.
// CHECK-LABEL: func @grid_sample_bilinear
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x1x2x4xf32>)
// CHECK-COUNT-2: tensor.extract %arg1
// CHECK: math.floor
// CHECK: arith.cmpf oge
// CHECK: tensor.extract %arg0
// CHECK: arith.select
func.func @grid_sample_bilinear(%x: tensor<1x1x3x2xf32>, %g: tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32> {
  %0 = graph.GridSample(%x, %g) : (tensor<1x1x3x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32>
  return %0 : tensor<1x1x2x4xf32>
}

// -----

// Nearest rounds half to even; reflection padding folds coordinates back into the image.
// CHECK-LABEL: func @grid_sample_nearest_reflection
// CHECK: math.roundeven
// CHECK: math.roundeven
// CHECK: math.floor
// CHECK: arith.trunci {{.*}} : i64 to i1
// CHECK: tensor.extract %arg0
// CHECK-NOT: tensor.extract %arg0
// CHECK: linalg.yield
func.func @grid_sample_nearest_reflection(%x: tensor<1x1x3x2xf32>, %g: tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32> {
  %0 = graph.GridSample(%x, %g) {mode = "nearest", padding_mode = "reflection", align_corners = 1 : i64} : (tensor<1x1x3x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32>
  return %0 : tensor<1x1x2x4xf32>
}

// -----

// Det of 2 x 2 matrices: the Leibniz formula over the batch dimension.
// CHECK-LABEL: func @det
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]} outs(%{{.*}} : tensor<3xf32>)
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.mulf
// CHECK: arith.subf
func.func @det(%x: tensor<3x2x2xf32>) -> tensor<3xf32> {
  %0 = graph.Det(%x) : (tensor<3x2x2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// MaxPool with Indices: a generic with window reduction loops yields the maximum and its flat input index.
// CHECK-LABEL: func @max_pool_argmax
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: %[[GT:.*]] = arith.cmpf ogt
// CHECK: arith.select %[[GT]]
// CHECK: linalg.index 4
// CHECK: arith.index_cast {{.*}} : index to i64
// CHECK: arith.select %[[GT]]
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @max_pool_argmax(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %0, %1 = graph.MaxPool(%x) {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %0, %1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// -----

// Unsigned MaxPool pads with 0 and compares unsigned.
// CHECK-LABEL: func @max_pool_uint8
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: tensor.pad
// CHECK: tensor.yield %[[ZERO]]
// CHECK: linalg.generic
// CHECK: arith.cmpi ugt
func.func @max_pool_uint8(%x: tensor<1x1x4xui8>) -> tensor<1x1x2xui8> {
  %0, %1 = graph.MaxPool(%x) {kernel_shape = array<i64: 2>, strides = array<i64: 2>} : (tensor<1x1x4xui8>) -> (tensor<1x1x2xui8>, none)
  return %0 : tensor<1x1x2xui8>
}

// -----

// MaxUnpool: a generic over the result with reduction loops over the input positions; X lands where its
// index names the result position.
// CHECK-LABEL: func @max_unpool
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%arg0, %arg1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) outs(%{{.*}} : tensor<1x1x4x4xf32>)
// CHECK: arith.cmpi eq
// CHECK: arith.select
func.func @max_unpool(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32> {
  %n = graph.none
  %0 = graph.MaxUnpool(%x, %i, %n) {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, none) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// MatMulInteger: uint8 operands zero-extended to i32, zero points subtracted, i32 accumulation.
// CHECK-LABEL: func @matmul_integer
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1, %arg2, %arg3 : tensor<4x3xi8>, tensor<3x2xi8>, tensor<1xi8>, tensor<1xi8>) outs(%{{.*}} : tensor<4x2xi32>)
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: arith.addi
func.func @matmul_integer(%a: tensor<4x3xui8>, %b: tensor<3x2xui8>, %az: tensor<1xui8>, %bz: tensor<1xui8>) -> tensor<4x2xi32> {
  %0 = graph.MatMulInteger(%a, %b, %az, %bz) : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<1xui8>, tensor<1xui8>) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}

// -----

// ConvInteger: x - x_zero_point in i32, padded with 0, then the contraction over channels and window.
// CHECK-LABEL: func @conv_integer
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%arg0, %arg2 : tensor<1x1x3x3xi8>, tensor<i8>) outs(%{{.*}} : tensor<1x1x3x3xi32>)
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: %[[P:.*]] = tensor.pad %[[S]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[P]], %arg1
// CHECK: arith.muli
func.func @conv_integer(%x: tensor<1x1x3x3xui8>, %w: tensor<1x1x2x2xui8>, %xz: tensor<ui8>) -> tensor<1x1x4x4xi32> {
  %n = graph.none
  %0 = graph.ConvInteger(%x, %w, %xz, %n) {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>, none) -> tensor<1x1x4x4xi32>
  return %0 : tensor<1x1x4x4xi32>
}

// -----

// Training-mode BatchNormalization: batch mean and population variance over all but the channel, Y
// normalized with them, running statistics blended with momentum.
// CHECK-LABEL: func @batch_norm_training
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x4xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]} ins(%arg0, %{{.*}} : tensor<2x3x4xf32>, tensor<3xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: math.sqrt
// CHECK: %[[M:.*]] = linalg.generic {{.*}} ins(%arg1, %{{.*}} : tensor<3xf32>, tensor<3xf32>)
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK: %[[V:.*]] = linalg.generic
// CHECK: return %[[Y]], %[[M]], %[[V]]
func.func @batch_norm_training(%x: tensor<2x3x4xf32>, %p: tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0, %1, %2 = graph.BatchNormalization(%x, %p, %p, %p, %p) {training_mode = 1 : i64, momentum = 0.5 : f32} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// 3-D AveragePool: a window sum over the zero-padded input, divided by the per-dimension counts of positions
// inside the input (the padded last position of each dimension counts once).
// CHECK-LABEL: func @average_pool_3d
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 0, 0, 0] high[0, 0, 1, 1, 1]
// CHECK: %[[S:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[P]], %{{.*}} : tensor<1x1x4x4x4xf32>, tensor<2x2x2xf32>)
// CHECK: %[[C:.*]] = arith.constant dense<[2.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: linalg.generic {{.*}} ins(%[[S]], %[[C]],
// CHECK: arith.divf
func.func @average_pool_3d(%x: tensor<1x1x3x3x3xf32>) -> tensor<1x1x2x2x2xf32> {
  %0 = graph.AveragePool(%x) {kernel_shape = array<i64: 2, 2, 2>, pads = array<i64: 0, 0, 0, 1, 1, 1>, strides = array<i64: 2, 2, 2>} : (tensor<1x1x3x3x3xf32>) -> tensor<1x1x2x2x2xf32>
  return %0 : tensor<1x1x2x2x2xf32>
}
