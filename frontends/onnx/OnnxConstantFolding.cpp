//===- OnnxConstantFolding.cpp - fold shape-computing ONNX subgraphs -----------------------------------===//
//
// A tiny reference interpreter for the ops torch exports use to compute shapes (Shape, Gather, Concat,
// Reshape, Slice, ...). Values are small, so a tensor is a dtype, dims and one flat vector: int64 for
// integer and bool dtypes (exact), double for float and double (float results rounded to float).
//
//===----------------------------------------------------------------------------------------------------===//
#include "frontends/onnx/OnnxConstantFolding.h"
#include "frontends/onnx/OnnxTensor.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sinter::onnx_frontend {
namespace {

using onnx::AttributeProto;
using onnx::NodeProto;
using onnx::TensorProto;
using Dims = std::vector<int64_t>;

constexpr int64_t kMaxOut = kMaxFoldedElements;
constexpr int64_t kMaxIn = int64_t(1) << 22; // constants larger than this are never decoded (weights)

enum DType : int {
  F32 = TensorProto::FLOAT, U8 = TensorProto::UINT8, I8 = TensorProto::INT8, U16 = TensorProto::UINT16,
  I16 = TensorProto::INT16, I32 = TensorProto::INT32, I64 = TensorProto::INT64, BOOL = TensorProto::BOOL,
  F64 = TensorProto::DOUBLE, U32 = TensorProto::UINT32
};

int elemBytes(int dt) {
  switch (dt) {
  case U8: case I8: case BOOL: return 1;
  case U16: case I16: return 2;
  case I32: case U32: case F32: return 4;
  case I64: case F64: return 8;
  default: return 0; // unsupported
  }
}

struct Tensor {
  int dt = 0;
  Dims dims;
  std::vector<int64_t> i; // integer and bool dtypes
  std::vector<double> f;  // F32 / F64
  bool isF() const { return dt == F32 || dt == F64; }
  size_t size() const { return isF() ? f.size() : i.size(); }
  double get(size_t k) const { return isF() ? f[k] : double(i[k]); }
};

bool isIndex(int dt) { return dt == I32 || dt == I64; }

/// Element count, or -1 for negative dims / absurd sizes.
int64_t numel(const Dims &d) {
  int64_t n = 1;
  for (int64_t x : d) {
    if (x < 0 || (x && n > (int64_t(1) << 40) / x))
      return -1;
    n *= x;
  }
  return n;
}

bool fits(const Dims &d) { int64_t n = numel(d); return n >= 0 && n <= kMaxOut; }

int64_t wrapInt(int dt, int64_t v) {
  switch (dt) {
  case I8: return int8_t(v);
  case U8: return uint8_t(v);
  case I16: return int16_t(v);
  case U16: return uint16_t(v);
  case I32: return int32_t(v);
  case U32: return uint32_t(v);
  case BOOL: return v != 0;
  default: return v;
  }
}

/// Brings values back into their dtype's range (float rounding, integer wrap-around, bool 0/1).
void normalize(Tensor &t) {
  if (t.dt == F32)
    for (double &x : t.f) x = double(float(x));
  else if (!t.isF())
    for (int64_t &x : t.i) x = wrapInt(t.dt, x);
}

Dims stridesOf(const Dims &d) {
  Dims s(d.size(), 1);
  for (int k = int(d.size()) - 2; k >= 0; --k) s[k] = s[k + 1] * d[k + 1];
  return s;
}

/// Calls fn(multi-index) for every element of a tensor with dims `d`, in row-major order.
template <typename Fn> void forEachIndex(const Dims &d, Fn fn) {
  int64_t n = numel(d);
  Dims ix(d.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    fn(ix);
    for (int a = int(d.size()) - 1; a >= 0 && ++ix[a] == d[a]; --a) ix[a] = 0;
  }
}

/// A tensor of `dims` whose elements are src[idx[k]].
Tensor take(const Tensor &src, Dims dims, const std::vector<int64_t> &idx) {
  Tensor t;
  t.dt = src.dt;
  t.dims = std::move(dims);
  for (int64_t k : idx) src.isF() ? t.f.push_back(src.f[k]) : t.i.push_back(src.i[k]);
  return t;
}

bool normAxis(int64_t &a, int64_t rank) {
  if (a < 0) a += rank;
  return a >= 0 && a < rank;
}

// ---- TensorProto <-> Tensor ------------------------------------------------------------------------------

bool decode(const TensorProto &tp, Tensor &t) {
  t = Tensor();
  t.dt = tp.data_type();
  int w = elemBytes(t.dt); // 0 for the types the folder does not evaluate
  std::vector<char> raw;
  std::string reason;
  if (!w || !onnxTensorBytes(tp, raw, reason, kMaxIn))
    return false;
  t.dims.assign(tp.dims().begin(), tp.dims().end());
  int64_t n = numel(t.dims);
  for (int64_t k = 0; k < n; ++k) {
    uint64_t bits = 0;
    for (int b = 0; b < w; ++b) bits |= uint64_t(uint8_t(raw[k * w + b])) << (8 * b);
    if (t.dt == F32) {
      uint32_t u = uint32_t(bits);
      float x;
      std::memcpy(&x, &u, 4);
      t.f.push_back(x);
    } else if (t.dt == F64) {
      double x;
      std::memcpy(&x, &bits, 8);
      t.f.push_back(x);
    } else {
      int64_t v = int64_t(bits); // sign-extend the narrow signed types
      if (t.dt == I8) v = int8_t(bits);
      if (t.dt == I16) v = int16_t(bits);
      if (t.dt == I32) v = int32_t(bits);
      t.i.push_back(wrapInt(t.dt, v));
    }
  }
  return true;
}

TensorProto encode(const Tensor &t, const std::string &name) {
  TensorProto tp;
  tp.set_name(name);
  tp.set_data_type(t.dt);
  for (int64_t d : t.dims) tp.add_dims(d);
  int w = elemBytes(t.dt);
  std::string raw(t.size() * w, '\0');
  for (size_t k = 0; k < t.size(); ++k) {
    uint64_t bits = uint64_t(t.isF() ? 0 : t.i[k]);
    if (t.dt == F32) {
      float x = float(t.f[k]);
      uint32_t u;
      std::memcpy(&u, &x, 4);
      bits = u;
    } else if (t.dt == F64) {
      std::memcpy(&bits, &t.f[k], 8);
    }
    for (int b = 0; b < w; ++b) raw[k * w + b] = char((bits >> (8 * b)) & 0xff);
  }
  tp.set_raw_data(raw);
  return tp;
}

// ---- attributes ------------------------------------------------------------------------------------------

const AttributeProto *findAttr(const NodeProto &n, const char *name) {
  for (const auto &a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

/// False if the attribute exists with the wrong type; leaves `v` alone when absent.
bool attrInt(const NodeProto &n, const char *name, int64_t &v) {
  const AttributeProto *a = findAttr(n, name);
  if (!a) return true;
  if (a->type() != AttributeProto::INT) return false;
  v = a->i();
  return true;
}

bool attrInts(const NodeProto &n, const char *name, Dims &v) {
  const AttributeProto *a = findAttr(n, name);
  if (!a) return true;
  if (a->type() != AttributeProto::INTS) return false;
  v.assign(a->ints().begin(), a->ints().end());
  return true;
}

/// Integer list held by a 0-D/1-D int32/int64 tensor input.
bool intList(const Tensor *t, Dims &v) {
  if (!t || !isIndex(t->dt) || t->dims.size() > 1) return false;
  v = t->i;
  return true;
}

// ---- elementwise ops -------------------------------------------------------------------------------------

bool broadcastDims(std::initializer_list<const Dims *> shapes, Dims &out) {
  size_t r = 0;
  for (const Dims *d : shapes) r = std::max(r, d->size());
  out.assign(r, 1);
  for (const Dims *d : shapes)
    for (size_t k = 0; k < d->size(); ++k) {
      int64_t &o = out[r - d->size() + k], b = (*d)[k];
      if (o == b || b == 1) continue;
      if (o != 1) return false;
      o = b;
    }
  return fits(out);
}

/// For each element of `out`, the flat index of the element of a tensor of dims `in` broadcast to it.
std::vector<int64_t> broadcastMap(const Dims &out, const Dims &in) {
  size_t off = out.size() - in.size();
  Dims st = stridesOf(in);
  std::vector<int64_t> m;
  forEachIndex(out, [&](const Dims &ix) {
    int64_t p = 0;
    for (size_t k = 0; k < in.size(); ++k)
      if (in[k] != 1) p += ix[off + k] * st[k];
    m.push_back(p);
  });
  return m;
}

enum Kind { Arith, Compare, Logic };
struct BinOp {
  Kind kind;
  std::function<bool(int64_t, int64_t, int64_t &)> i; // false: not evaluable (e.g. division by zero)
  std::function<double(double, double)> f;
};

int64_t wrapAdd(int64_t a, int64_t b) { return int64_t(uint64_t(a) + uint64_t(b)); }
int64_t wrapMul(int64_t a, int64_t b) { return int64_t(uint64_t(a) * uint64_t(b)); }

const std::unordered_map<std::string, BinOp> &binOps() {
  static const std::unordered_map<std::string, BinOp> ops = {
      {"Add", {Arith, [](int64_t a, int64_t b, int64_t &r) { r = wrapAdd(a, b); return true; },
               [](double a, double b) { return a + b; }}},
      {"Sum", {Arith, [](int64_t a, int64_t b, int64_t &r) { r = wrapAdd(a, b); return true; },
               [](double a, double b) { return a + b; }}},
      {"Sub", {Arith, [](int64_t a, int64_t b, int64_t &r) { r = int64_t(uint64_t(a) - uint64_t(b)); return true; },
               [](double a, double b) { return a - b; }}},
      {"Mul", {Arith, [](int64_t a, int64_t b, int64_t &r) { r = wrapMul(a, b); return true; },
               [](double a, double b) { return a * b; }}},
      {"Div", {Arith,
               [](int64_t a, int64_t b, int64_t &r) {
                 if (b == 0 || (a == std::numeric_limits<int64_t>::min() && b == -1)) return false;
                 r = a / b; // truncates toward zero, like C
                 return true;
               },
               [](double a, double b) { return a / b; }}},
      {"Min", {Arith, [](int64_t a, int64_t b, int64_t &r) { r = std::min(a, b); return true; },
               [](double a, double b) { return std::fmin(a, b); }}},
      {"Max", {Arith, [](int64_t a, int64_t b, int64_t &r) { r = std::max(a, b); return true; },
               [](double a, double b) { return std::fmax(a, b); }}},
      {"Equal", {Compare, [](int64_t a, int64_t b, int64_t &r) { r = a == b; return true; },
                 [](double a, double b) { return double(a == b); }}},
      {"Less", {Compare, [](int64_t a, int64_t b, int64_t &r) { r = a < b; return true; },
                [](double a, double b) { return double(a < b); }}},
      {"LessOrEqual", {Compare, [](int64_t a, int64_t b, int64_t &r) { r = a <= b; return true; },
                       [](double a, double b) { return double(a <= b); }}},
      {"Greater", {Compare, [](int64_t a, int64_t b, int64_t &r) { r = a > b; return true; },
                   [](double a, double b) { return double(a > b); }}},
      {"GreaterOrEqual", {Compare, [](int64_t a, int64_t b, int64_t &r) { r = a >= b; return true; },
                          [](double a, double b) { return double(a >= b); }}},
      {"And", {Logic, [](int64_t a, int64_t b, int64_t &r) { r = a && b; return true; }, nullptr}},
      {"Or", {Logic, [](int64_t a, int64_t b, int64_t &r) { r = a || b; return true; }, nullptr}},
      {"Xor", {Logic, [](int64_t a, int64_t b, int64_t &r) { r = (a != 0) != (b != 0); return true; }, nullptr}},
  };
  return ops;
}

bool binary(const BinOp &op, const Tensor &a, const Tensor &b, Tensor &out) {
  if (a.dt != b.dt || (op.kind == Logic) != (a.dt == BOOL) || (op.kind == Arith && a.dt == BOOL))
    return false;
  Dims od;
  if (!broadcastDims({&a.dims, &b.dims}, od)) return false;
  std::vector<int64_t> ma = broadcastMap(od, a.dims), mb = broadcastMap(od, b.dims);
  out = Tensor();
  out.dt = op.kind == Arith ? a.dt : BOOL;
  out.dims = od;
  for (size_t k = 0; k < ma.size(); ++k) {
    if (a.isF()) {
      double r = op.f(a.f[ma[k]], b.f[mb[k]]);
      out.isF() ? out.f.push_back(r) : out.i.push_back(r != 0);
    } else {
      int64_t r;
      if (!op.i(a.i[ma[k]], b.i[mb[k]], r)) return false;
      out.i.push_back(r);
    }
  }
  normalize(out);
  return true;
}

enum UKind { UNumeric, UFloat, UBool };
struct UnOp {
  UKind kind;
  std::function<int64_t(int64_t)> i;
  std::function<double(double)> f;
};

const std::unordered_map<std::string, UnOp> &unOps() {
  static const std::unordered_map<std::string, UnOp> ops = {
      {"Neg", {UNumeric, [](int64_t a) { return int64_t(0 - uint64_t(a)); }, [](double a) { return -a; }}},
      {"Abs", {UNumeric, [](int64_t a) { return a < 0 ? int64_t(0 - uint64_t(a)) : a; },
               [](double a) { return std::fabs(a); }}},
      {"Not", {UBool, [](int64_t a) { return int64_t(!a); }, nullptr}},
      {"Floor", {UFloat, nullptr, [](double a) { return std::floor(a); }}},
      {"Ceil", {UFloat, nullptr, [](double a) { return std::ceil(a); }}},
      {"Sqrt", {UFloat, nullptr, [](double a) { return std::sqrt(a); }}},
  };
  return ops;
}

// ---- op table --------------------------------------------------------------------------------------------

using Inputs = std::vector<const Tensor *>; // nullptr for absent optional inputs
using OpFn = std::function<bool(const NodeProto &, const Inputs &, Tensor &)>;
struct OpDef {
  size_t required; // leading inputs that must be present
  OpFn fn;
};

bool evalCast(const NodeProto &n, const Inputs &in, Tensor &out) {
  int64_t to = 0;
  if (!attrInt(n, "to", to) || !elemBytes(int(to))) return false;
  const Tensor &x = *in[0];
  out = Tensor();
  out.dt = int(to);
  out.dims = x.dims;
  for (size_t k = 0; k < x.size(); ++k) {
    double v = x.get(k);
    if (out.isF()) out.f.push_back(v);
    else if (!x.isF()) out.i.push_back(x.i[k]);
    else if (out.dt == BOOL) out.i.push_back(v != 0);
    else if (v > -9.2e18 && v < 9.2e18) out.i.push_back(int64_t(v)); // truncation; NaN/huge: give up
    else return false;
  }
  normalize(out);
  return true;
}

bool evalConcat(const NodeProto &n, const Inputs &in, Tensor &out) {
  int64_t axis = std::numeric_limits<int64_t>::min();
  if (!attrInt(n, "axis", axis) || axis == std::numeric_limits<int64_t>::min()) return false;
  const Tensor &a0 = *in[0];
  int64_t r = int64_t(a0.dims.size());
  if (!normAxis(axis, r)) return false;
  out = Tensor();
  out.dt = a0.dt;
  out.dims = a0.dims;
  out.dims[axis] = 0;
  for (const Tensor *t : in) {
    if (!t || t->dt != a0.dt || int64_t(t->dims.size()) != r) return false;
    for (int64_t k = 0; k < r; ++k)
      if (k != axis && t->dims[k] != a0.dims[k]) return false;
    out.dims[axis] += t->dims[axis];
  }
  if (!fits(out.dims)) return false;
  int64_t outer = numel(Dims(a0.dims.begin(), a0.dims.begin() + axis));
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : in) {
      int64_t chunk = numel(Dims(t->dims.begin() + axis, t->dims.end()));
      for (int64_t k = o * chunk; k < (o + 1) * chunk; ++k)
        t->isF() ? out.f.push_back(t->f[k]) : out.i.push_back(t->i[k]);
    }
  return true;
}

bool evalGather(const NodeProto &n, const Inputs &in, Tensor &out) {
  const Tensor &d = *in[0], &ix = *in[1];
  int64_t axis = 0, r = int64_t(d.dims.size());
  if (!isIndex(ix.dt) || !attrInt(n, "axis", axis) || !normAxis(axis, r)) return false;
  Dims od(d.dims.begin(), d.dims.begin() + axis);
  od.insert(od.end(), ix.dims.begin(), ix.dims.end());
  od.insert(od.end(), d.dims.begin() + axis + 1, d.dims.end());
  if (!fits(od)) return false;
  int64_t outer = numel(Dims(d.dims.begin(), d.dims.begin() + axis)), dim = d.dims[axis];
  int64_t inner = numel(Dims(d.dims.begin() + axis + 1, d.dims.end()));
  std::vector<int64_t> idx;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j : ix.i) {
      if (j < 0) j += dim;
      if (j < 0 || j >= dim) return false;
      for (int64_t k = 0; k < inner; ++k) idx.push_back((o * dim + j) * inner + k);
    }
  out = take(d, od, idx);
  return true;
}

bool evalUnsqueeze(const NodeProto &, const Inputs &in, Tensor &out) {
  Dims axes;
  if (!intList(in[1], axes)) return false;
  int64_t r = int64_t(in[0]->dims.size() + axes.size());
  std::vector<bool> mark(r, false);
  for (int64_t a : axes) {
    if (!normAxis(a, r) || mark[a]) return false;
    mark[a] = true;
  }
  out = *in[0];
  out.dims.clear();
  for (int64_t k = 0, j = 0; k < r; ++k) out.dims.push_back(mark[k] ? 1 : in[0]->dims[j++]);
  return true;
}

bool evalSqueeze(const NodeProto &, const Inputs &in, Tensor &out) {
  const Dims &d = in[0]->dims;
  int64_t r = int64_t(d.size());
  std::vector<bool> drop(r, false);
  if (in.size() > 1 && in[1]) {
    Dims axes;
    if (!intList(in[1], axes)) return false;
    for (int64_t a : axes) {
      if (!normAxis(a, r) || d[a] != 1) return false;
      drop[a] = true;
    }
  } else {
    for (int64_t k = 0; k < r; ++k) drop[k] = d[k] == 1;
  }
  out = *in[0];
  out.dims.clear();
  for (int64_t k = 0; k < r; ++k)
    if (!drop[k]) out.dims.push_back(d[k]);
  return true;
}

bool evalReshape(const NodeProto &n, const Inputs &in, Tensor &out) {
  Dims s;
  int64_t allowZero = 0, inferred = -1, known = 1, total = numel(in[0]->dims);
  if (!intList(in[1], s) || in[1]->dims.size() != 1 || !attrInt(n, "allowzero", allowZero)) return false;
  for (size_t k = 0; k < s.size(); ++k) {
    if (s[k] == -1) {
      if (inferred >= 0) return false;
      inferred = int64_t(k);
      continue;
    }
    if (s[k] == 0 && !allowZero) {
      if (k >= in[0]->dims.size()) return false;
      s[k] = in[0]->dims[k];
    }
    if (s[k] < 0) return false;
    known *= s[k];
  }
  if (inferred >= 0) {
    if (known == 0 || total % known) return false;
    s[inferred] = total / known;
  }
  if (numel(s) != total) return false;
  out = *in[0];
  out.dims = s;
  return true;
}

bool evalSlice(const NodeProto &, const Inputs &in, Tensor &out) {
  const Tensor &x = *in[0];
  int64_t r = int64_t(x.dims.size());
  Dims starts, ends, axes, steps;
  if (!intList(in[1], starts) || !intList(in[2], ends) || starts.size() != ends.size()) return false;
  if (in.size() > 3 && in[3]) {
    if (!intList(in[3], axes)) return false;
  } else {
    for (size_t k = 0; k < starts.size(); ++k) axes.push_back(int64_t(k));
  }
  if (in.size() > 4 && in[4]) {
    if (!intList(in[4], steps)) return false;
  } else {
    steps.assign(starts.size(), 1);
  }
  if (axes.size() != starts.size() || steps.size() != starts.size()) return false;
  Dims od = x.dims, begin(r, 0), step(r, 1);
  std::vector<bool> seen(r, false);
  for (size_t k = 0; k < starts.size(); ++k) {
    int64_t a = axes[k], p = steps[k];
    if (!normAxis(a, r) || seen[a] || p == 0) return false;
    seen[a] = true;
    if (p == std::numeric_limits<int64_t>::min()) p = -std::numeric_limits<int64_t>::max();
    int64_t dim = x.dims[a], s = starts[k], e = ends[k], len = 0;
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (p > 0) {
      s = std::max<int64_t>(0, std::min(s, dim));
      e = std::max<int64_t>(0, std::min(e, dim));
      if (e > s) len = (e - s) / p + ((e - s) % p != 0);
    } else if (dim > 0) {
      s = std::max<int64_t>(0, std::min(s, dim - 1));
      e = std::max<int64_t>(-1, std::min(e, dim - 1));
      if (s > e) len = (s - e) / -p + ((s - e) % -p != 0);
    }
    od[a] = len, begin[a] = s, step[a] = p;
  }
  if (!fits(od)) return false;
  Dims st = stridesOf(x.dims);
  std::vector<int64_t> idx;
  forEachIndex(od, [&](const Dims &ix) {
    int64_t p = 0;
    for (int64_t k = 0; k < r; ++k) p += (begin[k] + ix[k] * step[k]) * st[k];
    idx.push_back(p);
  });
  out = take(x, od, idx);
  return true;
}

bool evalTranspose(const NodeProto &n, const Inputs &in, Tensor &out) {
  const Tensor &x = *in[0];
  size_t r = x.dims.size();
  Dims perm;
  if (!attrInts(n, "perm", perm)) return false;
  if (!findAttr(n, "perm"))
    for (size_t k = 0; k < r; ++k) perm.push_back(int64_t(r - 1 - k));
  if (perm.size() != r) return false;
  std::vector<bool> seen(r, false);
  Dims od, st = stridesOf(x.dims);
  for (int64_t &p : perm) {
    if (!normAxis(p, int64_t(r)) || seen[p]) return false;
    seen[p] = true;
    od.push_back(x.dims[p]);
  }
  std::vector<int64_t> idx;
  forEachIndex(od, [&](const Dims &ix) {
    int64_t p = 0;
    for (size_t k = 0; k < r; ++k) p += ix[k] * st[perm[k]];
    idx.push_back(p);
  });
  out = take(x, od, idx);
  return true;
}

bool evalConstantOfShape(const NodeProto &n, const Inputs &in, Tensor &out) {
  Dims shape;
  if (!intList(in[0], shape) || in[0]->dims.size() != 1 || !fits(shape)) return false;
  Tensor v;
  v.dt = F32;
  v.f = {0.0};
  if (const AttributeProto *a = findAttr(n, "value"))
    if (a->type() != AttributeProto::TENSOR || !decode(a->t(), v) || v.size() != 1) return false;
  out = take(v, shape, std::vector<int64_t>(size_t(numel(shape)), 0));
  return true;
}

bool evalRange(const NodeProto &, const Inputs &in, Tensor &out) {
  for (const Tensor *t : in)
    if (!t || t->size() != 1 || t->dt != in[0]->dt || t->dt == BOOL) return false;
  out = Tensor();
  out.dt = in[0]->dt;
  if (out.isF()) {
    double s = in[0]->f[0], l = in[1]->f[0], d = in[2]->f[0], n = std::ceil((l - s) / d);
    if (!(d != 0) || !(n <= double(kMaxOut))) return false; // also rejects NaN
    for (int64_t k = 0; k < int64_t(n); ++k) out.f.push_back(s + double(k) * d);
  } else {
    int64_t s = in[0]->i[0], l = in[1]->i[0], d = in[2]->i[0], lim = int64_t(1) << 62;
    if (d == 0 || std::abs(s) >= lim || std::abs(l) >= lim || std::abs(d) >= lim) return false;
    int64_t diff = l - s, n = diff / d + (diff % d != 0 && ((diff < 0) == (d < 0)));
    n = std::max<int64_t>(n, 0);
    if (n > kMaxOut) return false;
    for (int64_t k = 0; k < n; ++k) out.i.push_back(s + k * d);
  }
  out.dims = {int64_t(out.size())};
  normalize(out);
  return true;
}

bool evalExpand(const NodeProto &, const Inputs &in, Tensor &out) {
  Dims shape, od;
  if (!intList(in[1], shape) || in[1]->dims.size() != 1 || !broadcastDims({&in[0]->dims, &shape}, od))
    return false;
  out = take(*in[0], od, broadcastMap(od, in[0]->dims));
  return true;
}

bool evalTile(const NodeProto &, const Inputs &in, Tensor &out) {
  const Tensor &x = *in[0];
  Dims reps, od;
  if (!intList(in[1], reps) || reps.size() != x.dims.size()) return false;
  for (size_t k = 0; k < reps.size(); ++k) {
    if (reps[k] < 0) return false;
    od.push_back(x.dims[k] * reps[k]);
  }
  if (!fits(od)) return false;
  Dims st = stridesOf(x.dims);
  std::vector<int64_t> idx;
  forEachIndex(od, [&](const Dims &ix) {
    int64_t p = 0;
    for (size_t k = 0; k < ix.size(); ++k) p += (ix[k] % x.dims[k]) * st[k];
    idx.push_back(p);
  });
  out = take(x, od, idx);
  return true;
}

enum RKind { RSum, RProd, RMin, RMax };
OpFn reduceOp(RKind kind) {
  return [kind](const NodeProto &n, const Inputs &in, Tensor &out) {
    const Tensor &x = *in[0];
    int64_t r = int64_t(x.dims.size()), keep = 1, noop = 0;
    Dims axes;
    bool have = findAttr(n, "axes") != nullptr;
    if (!attrInts(n, "axes", axes) || !attrInt(n, "keepdims", keep) ||
        !attrInt(n, "noop_with_empty_axes", noop) || x.dt == BOOL)
      return false;
    if (!have && in.size() > 1 && in[1]) {
      if (!intList(in[1], axes)) return false;
      have = true;
    }
    if (have && axes.empty()) {
      have = false;
      if (noop) {
        out = x;
        return true;
      }
    }
    std::vector<bool> red(r, !have);
    for (int64_t a : axes) {
      if (!normAxis(a, r)) return false;
      red[a] = true;
    }
    Dims od, cellDims;
    for (int64_t k = 0; k < r; ++k) {
      cellDims.push_back(red[k] ? 1 : x.dims[k]);
      if (!red[k] || keep) od.push_back(cellDims.back());
    }
    Dims cst = stridesOf(cellDims);
    std::vector<int64_t> cell;
    forEachIndex(x.dims, [&](const Dims &ix) {
      int64_t p = 0;
      for (int64_t k = 0; k < r; ++k)
        if (!red[k]) p += ix[k] * cst[k];
      cell.push_back(p);
    });
    size_t cells = size_t(numel(cellDims));
    std::vector<bool> started(cells, false);
    out = Tensor();
    out.dt = x.dt;
    out.dims = od;
    out.f.assign(x.isF() ? cells : 0, 0.0);
    out.i.assign(x.isF() ? 0 : cells, 0);
    for (size_t k = 0; k < cell.size(); ++k) {
      size_t c = size_t(cell[k]);
      bool first = !started[c];
      started[c] = true;
      if (x.isF()) {
        double a = out.f[c], b = x.f[k];
        out.f[c] = first ? b : kind == RSum ? a + b : kind == RProd ? a * b : kind == RMin ? std::fmin(a, b)
                                                                                        : std::fmax(a, b);
      } else {
        int64_t a = out.i[c], b = x.i[k];
        out.i[c] = first ? b : kind == RSum ? wrapAdd(a, b) : kind == RProd ? wrapMul(a, b)
                                                : kind == RMin ? std::min(a, b) : std::max(a, b);
      }
    }
    for (size_t c = 0; c < cells; ++c)
      if (!started[c]) {
        if (kind == RMin || kind == RMax) return false; // empty reduction
        if (x.isF()) out.f[c] = kind == RProd;
        else out.i[c] = kind == RProd;
      }
    normalize(out);
    return true;
  };
}

const std::unordered_map<std::string, OpDef> &opTable() {
  static const std::unordered_map<std::string, OpDef> table = [] {
    std::unordered_map<std::string, OpDef> t = {
        {"Identity", {1, [](const NodeProto &, const Inputs &in, Tensor &out) { out = *in[0]; return true; }}},
        {"Cast", {1, evalCast}},
        {"Concat", {1, evalConcat}},
        {"Gather", {2, evalGather}},
        {"Unsqueeze", {2, evalUnsqueeze}},
        {"Squeeze", {1, evalSqueeze}},
        {"Reshape", {2, evalReshape}},
        {"Slice", {3, evalSlice}},
        {"Transpose", {1, evalTranspose}},
        {"ConstantOfShape", {1, evalConstantOfShape}},
        {"Range", {3, evalRange}},
        {"Expand", {2, evalExpand}},
        {"Tile", {2, evalTile}},
        {"ReduceSum", {1, reduceOp(RSum)}},
        {"ReduceProd", {1, reduceOp(RProd)}},
        {"ReduceMin", {1, reduceOp(RMin)}},
        {"ReduceMax", {1, reduceOp(RMax)}},
        {"Where", {3, [](const NodeProto &, const Inputs &in, Tensor &out) {
                     const Tensor &c = *in[0], &x = *in[1], &y = *in[2];
                     Dims od;
                     if (c.dt != BOOL || x.dt != y.dt || !broadcastDims({&c.dims, &x.dims, &y.dims}, od))
                       return false;
                     std::vector<int64_t> mc = broadcastMap(od, c.dims), mx = broadcastMap(od, x.dims),
                                          my = broadcastMap(od, y.dims);
                     out = Tensor();
                     out.dt = x.dt;
                     out.dims = od;
                     for (size_t k = 0; k < mc.size(); ++k) {
                       const Tensor &s = c.i[mc[k]] ? x : y;
                       int64_t p = c.i[mc[k]] ? mx[k] : my[k];
                       s.isF() ? out.f.push_back(s.f[p]) : out.i.push_back(s.i[p]);
                     }
                     return true;
                   }}},
    };
    for (const auto &[name, op] : binOps()) {
      bool variadic = name == "Min" || name == "Max" || name == "Sum";
      t[name] = {variadic ? 1u : 2u, [op = op, variadic](const NodeProto &, const Inputs &in, Tensor &out) {
                   if (!variadic && in.size() != 2) return false;
                   Tensor acc = *in[0];
                   if (in.size() == 1 && (op.kind != Arith || acc.dt == BOOL)) return false;
                   for (size_t k = 1; k < in.size(); ++k) {
                     Tensor next;
                     if (!in[k] || !binary(op, acc, *in[k], next)) return false;
                     acc = std::move(next);
                   }
                   out = std::move(acc);
                   return true;
                 }};
    }
    for (const auto &[name, op] : unOps())
      t[name] = {1, [op = op](const NodeProto &, const Inputs &in, Tensor &out) {
                   out = *in[0];
                   if (op.kind == UBool ? out.dt != BOOL : op.kind == UFloat ? !out.isF() : out.dt == BOOL)
                     return false;
                   for (double &v : out.f) v = op.f(v);
                   for (int64_t &v : out.i) v = op.i(v);
                   normalize(out);
                   return true;
                 }};
    return t;
  }();
  return table;
}

/// The value of a Constant node as a TensorProto (value / value_float(s) / value_int(s) only).
bool constantValue(const NodeProto &n, TensorProto &tp) {
  if (n.attribute_size() != 1) return false;
  const AttributeProto &a = n.attribute(0);
  Tensor t;
  if (a.name() == "value" && a.type() == AttributeProto::TENSOR) {
    tp = a.t();
    return true;
  }
  if (a.name() == "value_float" && a.type() == AttributeProto::FLOAT) t.dt = F32, t.f = {a.f()};
  else if (a.name() == "value_floats" && a.type() == AttributeProto::FLOATS)
    t.dt = F32, t.f.assign(a.floats().begin(), a.floats().end()), t.dims = {a.floats_size()};
  else if (a.name() == "value_int" && a.type() == AttributeProto::INT) t.dt = I64, t.i = {a.i()};
  else if (a.name() == "value_ints" && a.type() == AttributeProto::INTS)
    t.dt = I64, t.i.assign(a.ints().begin(), a.ints().end()), t.dims = {a.ints_size()};
  else return false;
  tp = encode(t, "");
  return true;
}

template <typename Field, typename Keep> void filterField(Field &field, Keep keep) {
  Field kept;
  for (auto &item : field)
    if (keep(item)) kept.Add()->Swap(&item);
  field.Swap(&kept);
}

int fold(onnx::ModelProto &model) {
  int64_t opset = -1;
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
  if (opset < 13) return 0;
  onnx::GraphProto &g = *model.mutable_graph();

  std::unordered_set<std::string> graphInputs, graphOutputs, folded;
  std::unordered_map<std::string, const onnx::TypeProto *> types;
  for (const auto &vi : g.value_info()) types[vi.name()] = &vi.type();
  for (const auto &vi : g.output()) types[vi.name()] = &vi.type(), graphOutputs.insert(vi.name());
  for (const auto &vi : g.input()) types[vi.name()] = &vi.type(), graphInputs.insert(vi.name());
  std::unordered_map<std::string, const TensorProto *> consts;
  for (const auto &init : g.initializer())
    if (!graphInputs.count(init.name())) consts[init.name()] = &init;

  std::deque<TensorProto> added; // stable addresses
  std::unordered_map<std::string, Tensor> cache;
  auto constant = [&](const std::string &name) -> const Tensor * {
    auto c = cache.find(name);
    if (c != cache.end()) return &c->second;
    auto p = consts.find(name);
    Tensor t;
    if (p == consts.end() || !decode(*p->second, t)) return nullptr;
    return &(cache[name] = std::move(t));
  };
  auto staticDims = [&](const std::string &name, Dims &d) {
    if (auto p = consts.find(name); p != consts.end()) {
      d.assign(p->second->dims().begin(), p->second->dims().end());
      return numel(d) >= 0;
    }
    auto t = types.find(name);
    if (t == types.end() || !t->second->has_tensor_type() || !t->second->tensor_type().has_shape()) return false;
    d.clear();
    for (const auto &dim : t->second->tensor_type().shape().dim()) {
      if (!dim.has_dim_value() || dim.dim_value() < 0) return false;
      d.push_back(dim.dim_value());
    }
    return true;
  };

  std::vector<bool> removed(g.node_size(), false);
  int count = 0;
  for (int ni = 0; ni < g.node_size(); ++ni) {
    const NodeProto &n = g.node(ni);
    if (!(n.domain().empty() || n.domain() == "ai.onnx") || n.output_size() != 1) continue;
    const std::string &name = n.output(0), &op = n.op_type();
    if (name.empty() || graphOutputs.count(name) || consts.count(name) || graphInputs.count(name)) continue;
    TensorProto proto;
    Tensor result;
    Dims dims;
    if (op == "Constant") {
      if (!n.input().empty() || !constantValue(n, proto)) continue;
    } else {
      if (op == "Shape" || op == "Size") {
        if (n.input_size() != 1 || !staticDims(n.input(0), dims)) continue;
        result.dt = I64;
        if (op == "Size") {
          result.i = {numel(dims)};
        } else {
          int64_t r = int64_t(dims.size()), start = 0, end = r;
          if (!attrInt(n, "start", start) || !attrInt(n, "end", end)) continue;
          start = std::clamp<int64_t>(start < 0 ? start + r : start, 0, r);
          end = std::clamp<int64_t>(end < 0 ? end + r : end, 0, r);
          for (int64_t k = start; k < end; ++k) result.i.push_back(dims[k]);
          result.dims = {int64_t(result.i.size())};
        }
      } else {
        auto it = opTable().find(op);
        if (it == opTable().end() || size_t(n.input_size()) < it->second.required) continue;
        Inputs ins;
        bool ok = true;
        for (int k = 0; k < n.input_size() && ok; ++k) {
          const std::string &in = n.input(k);
          const Tensor *t = in.empty() ? nullptr : constant(in);
          ok = t || (in.empty() && size_t(k) >= it->second.required);
          ins.push_back(t);
        }
        if (!ok || !it->second.fn(n, ins, result)) continue;
      }
      if (numel(result.dims) != int64_t(result.size()) || !fits(result.dims)) continue;
      proto = encode(result, name);
      cache[name] = std::move(result);
    }
    proto.set_name(name);
    added.push_back(std::move(proto));
    consts[name] = &added.back();
    folded.insert(name);
    removed[ni] = true;
    ++count;
  }
  if (count == 0) return 0;

  int index = 0;
  filterField(*g.mutable_node(), [&](const NodeProto &) { return !removed[index++]; });
  for (TensorProto &t : added) g.add_initializer()->Swap(&t);
  filterField(*g.mutable_value_info(), [&](const onnx::ValueInfoProto &vi) { return !folded.count(vi.name()); });
  return count;
}

} // namespace

int foldShapeConstants(onnx::ModelProto &model) {
  try {
    return fold(model);
  } catch (...) {
    return 0; // the model is only modified after every evaluation succeeded
  }
}

} // namespace sinter::onnx_frontend
