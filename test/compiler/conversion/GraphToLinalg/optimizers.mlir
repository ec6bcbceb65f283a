// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Adagrad over two tensors: one elementwise generic per tensor, yielding (new X, new H). R and T are read
// inside the body; the rate is R / (1 + T * decay_factor).
// CHECK-LABEL: func @adagrad
// CHECK: %[[G1:.*]]:2 = linalg.generic {{.*}} ins(%arg2, %arg4, %arg6 : tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) outs(%{{.*}}, %{{.*}} : tensor<1xf32>, tensor<1xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[G:.*]]: f32, %[[H:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = tensor.extract %arg0[] : tensor<f32>
// CHECK: %[[T:.*]] = tensor.extract %arg1[] : tensor<i64>
// CHECK: %[[TF:.*]] = arith.sitofp %[[T]] : i64 to f32
// CHECK: %[[TD:.*]] = arith.mulf %[[TF]], %{{.*}} : f32
// CHECK: %[[DEN:.*]] = arith.addf %{{.*}}, %[[TD]] : f32
// CHECK: %[[RATE:.*]] = arith.divf %[[R]], %[[DEN]] : f32
// CHECK: %[[NX:.*]] = arith.mulf %{{.*}}, %[[X]] : f32
// CHECK: %[[GR:.*]] = arith.addf %[[NX]], %[[G]] : f32
// CHECK: %[[SQ:.*]] = arith.mulf %[[GR]], %[[GR]] : f32
// CHECK: %[[HNEW:.*]] = arith.addf %[[H]], %[[SQ]] : f32
// CHECK: math.sqrt %[[HNEW]] : f32
// CHECK: %[[XNEW:.*]] = arith.subf %[[X]], %{{.*}} : f32
// CHECK: linalg.yield %[[XNEW]], %[[HNEW]] : f32, f32
// CHECK: %[[G2:.*]]:2 = linalg.generic {{.*}} ins(%arg3, %arg5, %arg7 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK: return %[[G1]]#0, %[[G2]]#0, %[[G1]]#1, %[[G2]]#1
func.func @adagrad(%r: tensor<f32>, %t: tensor<i64>, %x1: tensor<1xf32>, %x2: tensor<2x3xf32>, %g1: tensor<1xf32>, %g2: tensor<2x3xf32>, %h1: tensor<1xf32>, %h2: tensor<2x3xf32>) -> (tensor<1xf32>, tensor<2x3xf32>, tensor<1xf32>, tensor<2x3xf32>) {
  %0:4 = graph.Adagrad(%r, %t, %x1, %x2, %g1, %g2, %h1, %h2) {decay_factor = 0.1 : f32, norm_coefficient = 0.001 : f32} : (tensor<f32>, tensor<i64>, tensor<1xf32>, tensor<2x3xf32>, tensor<1xf32>, tensor<2x3xf32>, tensor<1xf32>, tensor<2x3xf32>) -> (tensor<1xf32>, tensor<2x3xf32>, tensor<1xf32>, tensor<2x3xf32>)
  return %0#0, %0#1, %0#2, %0#3 : tensor<1xf32>, tensor<2x3xf32>, tensor<1xf32>, tensor<2x3xf32>
}

// -----

// Nesterov momentum: beta applies from the second update on (T > 0), and the step is g' + alpha * v'.
// CHECK-LABEL: func @nesterov
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %[[G:.*]]: f32, %[[V:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK: %[[GR:.*]] = arith.addf %{{.*}}, %[[G]] : f32
// CHECK: %[[POS:.*]] = arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// CHECK: %[[BETA:.*]] = arith.select %[[POS]], %{{.*}}, %{{.*}} : f32
// CHECK: %[[AV:.*]] = arith.mulf %{{.*}}, %[[V]] : f32
// CHECK: %[[BG:.*]] = arith.mulf %[[BETA]], %[[GR]] : f32
// CHECK: %[[VNEW:.*]] = arith.addf %[[AV]], %[[BG]] : f32
// CHECK: %[[AVN:.*]] = arith.mulf %{{.*}}, %[[VNEW]] : f32
// CHECK: %[[STEP:.*]] = arith.addf %[[GR]], %[[AVN]] : f32
// CHECK: %[[RS:.*]] = arith.mulf %{{.*}}, %[[STEP]] : f32
// CHECK: %[[XNEW:.*]] = arith.subf %[[X]], %[[RS]] : f32
// CHECK: linalg.yield %[[XNEW]], %[[VNEW]] : f32, f32
func.func @nesterov(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<2xf32>, %g: tensor<2xf32>, %v: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %0:2 = graph.Momentum(%r, %t, %x, %g, %v) {alpha = 0.95 : f32, beta = 1.0 : f32, mode = "nesterov", norm_coefficient = 0.01 : f32} : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %0#0, %0#1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// Adam on f64 tensors with an f32 rate: R is extended; the bias-corrected rate uses powers of alpha and beta
// and is selected only when T > 0; norm_coefficient_post scales the result.
// CHECK-LABEL: func @adam
// CHECK: linalg.generic
// CHECK: ^bb0(%{{.*}}: f64, %{{.*}}: f64, %{{.*}}: f64, %{{.*}}: f64, %{{.*}}: f64, %{{.*}}: f64, %{{.*}}: f64):
// CHECK: %[[R:.*]] = tensor.extract %arg0[%{{.*}}] : tensor<1xf32>
// CHECK: %[[RD:.*]] = arith.extf %[[R]] : f32 to f64
// CHECK: math.powf %{{.*}}, %{{.*}} : f64
// CHECK: math.powf %{{.*}}, %{{.*}} : f64
// CHECK: %[[POS:.*]] = arith.cmpf ogt
// CHECK: %[[RATE:.*]] = arith.select %[[POS]], %{{.*}}, %[[RD]] : f64
// CHECK: %[[XNEW:.*]] = arith.subf
// CHECK: %[[XPOST:.*]] = arith.mulf %{{.*}}, %[[XNEW]] : f64
// CHECK: linalg.yield %[[XPOST]], %{{.*}}, %{{.*}} : f64, f64, f64
func.func @adam(%r: tensor<1xf32>, %t: tensor<i64>, %x: tensor<3xf64>, %g: tensor<3xf64>, %v: tensor<3xf64>, %h: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) {
  %0:3 = graph.Adam(%r, %t, %x, %g, %v, %h) {norm_coefficient_post = 0.1 : f32} : (tensor<1xf32>, tensor<i64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>)
  return %0#0, %0#1, %0#2 : tensor<3xf64>, tensor<3xf64>, tensor<3xf64>
}
