//===- Report.cpp - what weight quantization did, per layer (JSON and a text table) ---------------------===//
#include "compiler/quantization/Report.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace sinter::quant {
namespace {

std::string jsonString(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else
      out += c;
  }
  return out + "\"";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

} // namespace

int64_t QuantizationReport::bytes() const {
  int64_t total = 0;
  for (const LayerReport &l : layers)
    total += l.bytes;
  return total;
}

int64_t QuantizationReport::fp32Bytes() const {
  int64_t total = 0;
  for (const LayerReport &l : layers)
    total += l.fp32Bytes();
  return total;
}

std::string QuantizationReport::toJson() const {
  std::ostringstream os;
  int64_t weights = fp32Bytes() / 4;
  os << "{\n  \"method\": " << jsonString(method) << ",\n  \"calibration\": " << jsonString(calibration)
     << ",\n  \"budget\": " << (budget.empty() ? "null" : jsonString(budget))
     << ",\n  \"budget_bytes\": " << budgetBytes << ",\n  \"layers\": [";
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerReport &l = layers[i];
    os << (i ? ",\n" : "\n") << "    {\"name\": " << jsonString(l.name) << ", \"op\": " << jsonString(l.op)
       << ", \"k\": " << l.k << ", \"n\": " << l.n << ", \"bits\": " << l.bits << ", \"group_size\": "
       << l.groupSize << ", \"symmetric\": " << (l.symmetric ? "true" : "false")
       << ", \"scale_type\": " << jsonString(l.scaleType) << ", \"outliers\": " << l.outliers
       << ", \"bytes\": " << l.bytes << ", \"fp32_bytes\": " << l.fp32Bytes()
       << ", \"relative_error\": " << number(l.relativeError)
       << ", \"calibrated\": " << (l.calibrated ? "true" : "false") << "}";
  }
  os << "\n  ],\n  \"totals\": {\"bytes\": " << bytes() << ", \"fp32_bytes\": " << fp32Bytes()
     << ", \"ratio_vs_fp32\": " << number(fp32Bytes() ? double(bytes()) / double(fp32Bytes()) : 0.0)
     << ", \"average_bits\": " << number(weights ? 8.0 * double(bytes()) / double(weights) : 0.0) << "}\n}\n";
  return os.str();
}

std::string QuantizationReport::toTable() const {
  std::ostringstream os;
  char line[256];
  os << "weight quantization: method " << method << "; calibration: " << calibration << "\n";
  if (!budget.empty())
    os << "budget " << budget << " = " << budgetBytes << " bytes\n";
  std::snprintf(line, sizeof line, "%-32s %-6s %6s %6s %4s %5s %8s %10s %10s %9s\n", "layer", "op", "K", "N",
                "bits", "group", "outliers", "bytes", "fp32", "rel.err");
  os << line;
  for (const LayerReport &l : layers) {
    std::string name = l.name.size() > 32 ? "..." + l.name.substr(l.name.size() - 29) : l.name;
    std::snprintf(line, sizeof line, "%-32s %-6s %6lld %6lld %4d %5lld %8lld %10lld %10lld %9.5f\n", name.c_str(),
                  l.op.c_str(), (long long)l.k, (long long)l.n, l.bits, (long long)l.groupSize,
                  (long long)l.outliers, (long long)l.bytes, (long long)l.fp32Bytes(), l.relativeError);
    os << line;
  }
  int64_t weights = fp32Bytes() / 4;
  std::snprintf(line, sizeof line, "total: %lld bytes vs %lld fp32 (%.2f%%, %.3f bits per weight)\n",
                (long long)bytes(), (long long)fp32Bytes(), fp32Bytes() ? 100.0 * bytes() / fp32Bytes() : 0.0,
                weights ? 8.0 * double(bytes()) / double(weights) : 0.0);
  os << line;
  return os.str();
}

int64_t WeightBudget::bytesFor(int64_t weights) const {
  return isAverageBits ? int64_t(std::floor(averageBits * double(weights) / 8.0)) : bytes;
}

bool parseWeightBudget(const std::string &text, WeightBudget &budget, std::string &error) {
  const char *begin = text.c_str();
  char *end = nullptr;
  double value = std::strtod(begin, &end);
  if (end == begin || !(value > 0) || !std::isfinite(value)) {
    error = "'" + text + "' is neither average bits (e.g. 3.25) nor a size (e.g. 40MB)";
    return false;
  }
  std::string unit(end);
  if (unit.empty()) {
    budget.isAverageBits = true;
    budget.averageBits = value;
    return true;
  }
  static const struct {
    const char *name;
    double factor;
  } units[] = {{"B", 1},          {"KB", 1e3},          {"MB", 1e6},          {"GB", 1e9},
               {"KiB", 1024.0},   {"MiB", 1048576.0},   {"GiB", 1073741824.0}};
  for (const auto &u : units)
    if (unit == u.name) {
      budget.isAverageBits = false;
      budget.bytes = int64_t(std::floor(value * u.factor));
      return true;
    }
  error = "'" + text + "': unknown size unit '" + unit + "' (B, KB, MB, GB, KiB, MiB, GiB)";
  return false;
}

} // namespace sinter::quant
