//===- SinterOps.td - sinter dialect ops ----------------------------------------------------------------===//
//
// Ops that carry compressed constant weights in their documented layouts (docs/QUANTIZATION.md).
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_OPS
#define SINTER_OPS

include "SinterDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Sinter_Op<string mnemonic, list<Trait> traits = []> : Op<Sinter_Dialect, mnemonic, traits>;

def Sinter_QuantizedMatMulOp : Sinter_Op<"quantized_matmul", [Pure, AttrSizedOperandSegments]> {
  let summary = "x . W with W group-wise quantized (2/3/4/8 bits) plus an optional fp16 outlier matrix";
  let description = [{
    `output[..., n] = sum_k input[..., k] * W'[k][n]` with `W'` the effective weight of the packed format
    (docs/QUANTIZATION.md, compiler/quantization/WeightFormat.h), `K` the input's last dimension and `N`
    the packed weight's first:

    - `packed`: `i8 [N][ceil(K/8) * bits]`, column n's codes little-endian, code k at bits [k*bits, k*bits+bits)
    - `scales`: `f32|f16 [N][ceil(K/group_size)]`
    - `zeros` (absent iff `symmetric`): `i8 [N][ceil(K/group_size)]`, unsigned zero points; symmetric
      weights use 2^(bits-1)
    - `outlier_rows` `i32 [N][R]` and `outlier_values` `f16 [N][R]` (both or neither): per column, R rows
      whose fp16 value is added to the dequantized weight

    `W'[k][n] = scales[n][k / group_size] * (code(n, k) - zero) + outliers(k, n)`.

    `int8_activations`: the kernel may round `input` to int8 per group of `group_size` (step
    max|x_g| / 127) before multiplying, as ONNX Runtime's MatMulNBits does at accuracy_level 4; without it
    the input's rounding stays below the fp16 rounding of the scales.

    `blocked` (3 bits, K a multiple of 256): `packed` holds the same bytes per column in the blocked layout
    of docs/QUANTIZATION.md (chunks of 256 codes as three 32-byte vectors), which the CPU GEMV unpacks with
    shifts alone; sinter-block-quantized-codes rewrites a constant weight into it.
  }];
  let arguments = (ins
    RankedTensorOf<[F32]>:$input,
    RankedTensorOf<[I8]>:$packed,
    RankedTensorOf<[F32, F16]>:$scales,
    Optional<RankedTensorOf<[I8]>>:$zeros,
    Optional<RankedTensorOf<[I32]>>:$outlier_rows,
    Optional<RankedTensorOf<[F16]>>:$outlier_values,
    I64Attr:$bits,
    I64Attr:$group_size,
    UnitAttr:$symmetric,
    UnitAttr:$int8_activations,
    UnitAttr:$blocked
  );
  let results = (outs RankedTensorOf<[F32]>:$output);
  let assemblyFormat = [{
    $input `,` $packed `,` $scales (`zeros` $zeros^)? (`outliers` `(` $outlier_rows^ `,` $outlier_values `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// K (reduction) and N (output columns).
    int64_t getK() { return getInput().getType().getShape().back(); }
    int64_t getN() { return getPacked().getType().getDimSize(0); }
  }];
}

#endif // SINTER_OPS
