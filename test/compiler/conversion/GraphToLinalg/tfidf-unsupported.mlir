// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' -verify-diagnostics

// String n-grams: the graph dialect has no string tensors.
func.func @tfidf_pool_strings(%x: tensor<4xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{(TfIdfVectorizer): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.TfIdfVectorizer(%x) {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool_strings = ["a", "b"]} : (tensor<4xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// ngram_indexes must give every n-gram of the pool a coordinate (three unigrams, two indexes).
func.func @tfidf_short_indexes(%x: tensor<4xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{(TfIdfVectorizer): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.TfIdfVectorizer(%x) {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool_int64s = array<i64: 1, 2, 3>} : (tensor<4xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// The bigram level holds three tokens: not a whole number of bigrams.
func.func @tfidf_ragged_level(%x: tensor<4xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{(TfIdfVectorizer): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.TfIdfVectorizer(%x) {max_gram_length = 2 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0, 1>, ngram_indexes = array<i64: 0, 1>, pool_int64s = array<i64: 1, 2, 3, 4>} : (tensor<4xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// TFIDF weights must cover every output coordinate.
func.func @tfidf_short_weights(%x: tensor<4xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{(TfIdfVectorizer): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.TfIdfVectorizer(%x) {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TFIDF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool_int64s = array<i64: 1, 2>, weights = array<f32: 1.0>} : (tensor<4xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
