package dev.tessera.array;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The elementwise operations: unary and binary, with their NumPy result types. */
final class Ops {
  private Ops() {}

  /** One-argument functions. */
  enum Unary implements BlockOp {
    NEG, ABS, SIGN, SQUARE, EXP, LOG, SQRT, SIN, COS, TAN, TANH, FLOOR, CEIL, ROUND, NOT;

    boolean floatResult() {
      return ordinal() >= EXP.ordinal() && this != NOT;
    }

    DType resultType(DType in) {
      if (this == NOT) {
        return DType.BOOL;
      }
      return floatResult() ? in.floatResult() : in;
    }

    @Override
    public INDArray apply(INDArray[] b) {
      INDArray x = b[0];
      switch (this) {
        case NEG: return x.neg();
        case ABS: return Transforms.abs(x, true);
        case SIGN: return Transforms.sign(x, true);
        case SQUARE: return x.mul(x);
        case EXP: return Transforms.exp(x, true);
        case LOG: return Transforms.log(x, true);
        case SQRT: return Transforms.sqrt(x, true);
        case SIN: return Transforms.sin(x, true);
        case COS: return Transforms.cos(x, true);
        case TAN: return Transforms.tan(x, true);
        case TANH: return Transforms.tanh(x, true);
        case FLOOR: return Transforms.floor(x, true);
        case CEIL: return Transforms.ceil(x, true);
        case ROUND: return Transforms.round(x, true);
        case NOT: return Transforms.not(x.castTo(DataType.BOOL));
        default: throw new AssertionError(this);
      }
    }
  }

  /** Two-argument functions. */
  enum Binary implements BlockOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE, AND, OR, XOR;

    boolean comparison() {
      return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal();
    }

    boolean logical() {
      return ordinal() >= AND.ordinal();
    }

    /** The type both operands are cast to before the operation. */
    DType operandType(DType a, DType b) {
      if (logical()) {
        return DType.BOOL;
      }
      DType p = DType.promote(a, b);
      if (this == DIV && !p.isFloat()) {
        return DType.FLOAT64;
      }
      if (p == DType.BOOL && !comparison()) {
        return DType.INT64;   // arithmetic on booleans counts, as NumPy's sum does
      }
      return p;
    }

    DType resultType(DType a, DType b) {
      return comparison() || logical() ? DType.BOOL : operandType(a, b);
    }

    @Override
    public INDArray apply(INDArray[] b) {
      INDArray x = b[0];
      INDArray y = b[1];
      switch (this) {
        case ADD: return x.add(y);
        case SUB: return x.sub(y);
        case MUL: return x.mul(y);
        case DIV: return x.div(y);
        case POW: return Transforms.pow(x, y, true);
        case MAXIMUM: return Transforms.max(x, y, true);
        case MINIMUM: return Transforms.min(x, y, true);
        case EQ: return x.eq(y);
        case NE: return x.neq(y);
        case LT: return x.lt(y);
        case GT: return x.gt(y);
        case LE: return Transforms.or(x.lt(y), x.eq(y));
        case GE: return Transforms.or(x.gt(y), x.eq(y));
        case AND: return Transforms.and(x, y);
        case OR: return Transforms.or(x, y);
        case XOR: return Transforms.xor(x, y);
        default: throw new AssertionError(this);
      }
    }
  }

  /** A binary operation, its operands cast to one type first. */
  record Cast2(Binary op, DType operandType) implements BlockOp {
    @Override
    public INDArray apply(INDArray[] b) {
      INDArray x = Nd.cast(b[0], operandType);
      INDArray y = Nd.cast(b[1], operandType);
      if (op.ordinal() <= Binary.DIV.ordinal() && x.length() > 0 && Nd.sameShape(y, x.shape())) {
        INDArray fast = Kernels.binary(op, x, y);   // a transposed operand: ND4J is slow there
        if (fast != null) {
          return fast;
        }
        // the four arithmetic operators write into a recycled block
        INDArray out = Pool.take(operandType, x.shape());
        switch (op) {
          case ADD: return x.add(y, out);
          case SUB: return x.sub(y, out);
          case MUL: return x.mul(y, out);
          default: return x.div(y, out);
        }
      }
      return op.apply(new INDArray[] {x, y});
    }
  }

  /** A binary operation with a scalar on the right (or, reversed, on the left). */
  record WithScalar(Binary op, double scalar, boolean reversed, DType operandType)
      implements BlockOp {
    @Override
    public INDArray apply(INDArray[] b) {
      INDArray x = Nd.cast(b[0], operandType);
      INDArray s = Nd4j.valueArrayOf(x.shape(), scalar, operandType.nd4j());
      if (operandType == DType.BOOL) {
        s = Nd4j.valueArrayOf(x.shape(), scalar != 0 ? 1.0 : 0.0, DataType.DOUBLE)
            .castTo(DataType.BOOL);
      }
      return reversed ? op.apply(new INDArray[] {s, x}) : op.apply(new INDArray[] {x, s});
    }
  }

  /** A unary function on the input cast to the given type. */
  record CastUnary(Unary op, DType operandType) implements BlockOp {
    @Override
    public INDArray apply(INDArray[] b) {
      return op.apply(new INDArray[] {Nd.cast(b[0], operandType)});
    }
  }

  /** Conversion to another type. */
  record AsType(DType to) implements BlockOp {
    @Override
    public INDArray apply(INDArray[] b) {
      return b[0].dataType() == to.nd4j() ? b[0] : b[0].castTo(to.nd4j());
    }
  }

  /** Clips values into [lo, hi]. */
  record Clip(double lo, double hi) implements BlockOp {
    @Override
    public INDArray apply(INDArray[] b) {
      return Transforms.max(Transforms.min(b[0], hi, true), lo, false);
    }
  }

  /** Chooses from {@code a} where the condition holds and from {@code b} elsewhere. */
  record Where(DType type) implements BlockOp {
    @Override
    public INDArray apply(INDArray[] b) {
      INDArray cond = b[0].castTo(DataType.BOOL);
      INDArray x = Nd.cast(b[1], type);
      INDArray y = Nd.cast(b[2], type);
      INDArray out = Nd4j.createUninitialized(type.nd4j(), x.shape());
      return Nd4j.exec(new org.nd4j.linalg.api.ops.impl.controlflow.Select(
          new INDArray[] {cond, x, y}, new INDArray[] {out}))[0];
    }
  }

  /** A user function of one or more blocks. */
  record User(BlockFunction fn, DType type) implements BlockOp {
    @Override
    public INDArray apply(INDArray[] b) throws Exception {
      INDArray out = fn.apply(b);
      if (out == null) {
        throw new IllegalStateException("the block function returned null");
      }
      return Nd.cast(out, type);
    }
  }
}
