// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// The pool grouped by output coordinate: the unigram 4 (ordinal 0) goes to coordinate 2, the bigrams (5, 6)
// and (7, 8) to 0 and 1. One generic counts over (row, coordinate, slot, start, skip); a unigram counts at skip
// 0 only; the second token of a bigram is read at start + (skip + 1), clamped into the row. TFIDF multiplies
// by the weight of the coordinate.
// CHECK-DAG: #[[LEN:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2)>
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3)>
// CHECK-DAG: #[[EXT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d4)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1)>
// CHECK-LABEL: func @tfidf_batch
// CHECK-DAG: %[[LENGTHS:.*]] = arith.constant dense<{{\[}}[2], [2], [1]]> : tensor<3x1xi64>
// CHECK-DAG: %[[TOKENS:.*]] = arith.constant dense<{{\[\[\[}}5, 6]], {{\[\[}}7, 8]], {{\[\[}}4, 0]]]> : tensor<3x1x2xi64>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x2xi8>
// CHECK: %[[COUNTS:.*]] = linalg.generic {indexing_maps = [#[[LEN]], #[[X]], #[[EXT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[LENGTHS]], %arg0, %[[EMPTY]] : tensor<3x1xi64>, tensor<2x6xi32>, tensor<1x2xi8>)
// CHECK: ^bb0(%[[LEN_IN:.*]]: i64, %[[FIRST:.*]]: i32, %{{.*}}: i8, %[[ACC:.*]]: i64):
// CHECK: %[[SKIP:.*]] = linalg.index 4 : index
// CHECK: %[[STEP:.*]] = arith.addi %[[SKIP]], %c1
// CHECK: arith.cmpi eq, %[[SKIP]], %c0
// CHECK: %[[T0:.*]] = arith.extsi %[[FIRST]] : i32 to i64
// CHECK: tensor.extract %[[TOKENS]]
// CHECK: arith.cmpi eq, %[[T0]]
// CHECK: arith.select
// CHECK: tensor.extract %arg0
// CHECK: %[[ONE:.*]] = arith.extui %{{.*}} : i1 to i64
// CHECK: arith.addi %[[ACC]], %[[ONE]] : i64
// CHECK: %[[W:.*]] = arith.constant dense<[5.000000e-01, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[COUNTS]], %[[W]] : tensor<2x3xi64>, tensor<3xf32>)
// CHECK: %[[F:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: arith.mulf %{{.*}}, %[[F]] : f32
func.func @tfidf_batch(%x: tensor<2x6xi32>) -> tensor<2x3xf32> {
  %0 = graph.TfIdfVectorizer(%x) {max_gram_length = 2 : i64, max_skip_count = 1 : i64, min_gram_length = 1 : i64, mode = "TFIDF", ngram_counts = array<i64: 0, 1>, ngram_indexes = array<i64: 2, 0, 1>, pool_int64s = array<i64: 4, 5, 6, 7, 8>, weights = array<f32: 0.5, 2.0, 3.0>} : (tensor<2x6xi32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// IDF without weights: 1 where the count is non-zero. Only bigrams are counted (min_gram_length 2), so the
// unigram's coordinate stays 0 and no skip test is needed for unigrams.
// CHECK-LABEL: func @tfidf_idf
// CHECK: arith.constant dense<{{\[}}[0], [2]]> : tensor<2x1xi64>
// CHECK: linalg.generic
// CHECK-NOT: arith.cmpi eq, %{{.*}}, %c0{{.*}} : index
// CHECK: linalg.generic
// CHECK: %[[C:.*]] = arith.cmpi sgt, %{{.*}}, %c0_i64{{.*}} : i64
// CHECK: arith.select %[[C]], %cst{{.*}}, %cst{{.*}} : f32
func.func @tfidf_idf(%x: tensor<8xi64>) -> tensor<2xf32> {
  %0 = graph.TfIdfVectorizer(%x) {max_gram_length = 2 : i64, max_skip_count = 0 : i64, min_gram_length = 2 : i64, mode = "IDF", ngram_counts = array<i64: 0, 1>, ngram_indexes = array<i64: 0, 1>, pool_int64s = array<i64: 4, 5, 6>} : (tensor<8xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// No countable n-gram (the pool holds only unigrams, min_gram_length is 2): all zeros.
// CHECK-LABEL: func @tfidf_nothing_counted
// CHECK: %[[Z:.*]] = linalg.fill ins(%cst : f32) outs(%{{.*}} : tensor<3xf32>) -> tensor<3xf32>
// CHECK: return %[[Z]]
func.func @tfidf_nothing_counted(%x: tensor<8xi32>) -> tensor<3xf32> {
  %0 = graph.TfIdfVectorizer(%x) {max_gram_length = 2 : i64, max_skip_count = 0 : i64, min_gram_length = 2 : i64, mode = "TF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1, 2>, pool_int64s = array<i64: 4, 5, 6>} : (tensor<8xi32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
