package dev.tessera.frame;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Page codecs for parquet-java through its own {@link CompressionCodecFactory} interface, so
 * that no Hadoop codec class is needed: Snappy, Zstandard and LZ4 from aircompressor (pure
 * Java, no native library unpacked at run time), gzip from the JDK. Other codecs (Brotli, LZO,
 * Hadoop-framed LZ4) fail with a message naming the codec and the file.
 */
final class ParquetCodecs implements CompressionCodecFactory {
  private final String file;

  ParquetCodecs(String file) {
    this.file = file;
  }

  static CompressionCodecName name(ParquetCodec c) {
    return CompressionCodecName.valueOf(c.name());
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    Compressor c = switch (codec) {
      case UNCOMPRESSED, GZIP -> null;
      case SNAPPY -> new SnappyCompressor();
      case ZSTD -> new ZstdCompressor();
      case LZ4_RAW -> new Lz4Compressor();
      default -> throw unsupported(codec);
    };
    return new BytesInputCompressor() {
      @Override
      @SuppressWarnings("deprecation") // toByteArray: parquet-java 1.15's only copy-out call
      public BytesInput compress(BytesInput bytes) throws IOException {
        byte[] in = bytes.toByteArray();
        if (codec == CompressionCodecName.UNCOMPRESSED) {
          return BytesInput.from(in);
        }
        if (codec == CompressionCodecName.GZIP) {
          ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 2 + 64);
          try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(in);
          }
          return BytesInput.from(out.toByteArray());
        }
        byte[] out = new byte[c.maxCompressedLength(in.length)];
        int n = c.compress(in, 0, in.length, out, 0, out.length);
        return BytesInput.from(out, 0, n);
      }

      @Override
      public CompressionCodecName getCodecName() {
        return codec;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    Decompressor d = switch (codec) {
      case UNCOMPRESSED, GZIP -> null;
      case SNAPPY -> new SnappyDecompressor();
      case ZSTD -> new ZstdDecompressor();
      case LZ4_RAW -> new Lz4Decompressor();
      default -> throw unsupported(codec);
    };
    return new BytesInputDecompressor() {
      @Override
      @SuppressWarnings("deprecation") // toByteArray: parquet-java 1.15's only copy-out call
      public BytesInput decompress(BytesInput bytes, int size) throws IOException {
        return BytesInput.from(inflate(bytes.toByteArray(), size));
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output,
          int size) throws IOException {
        byte[] in = new byte[compressedSize];
        input.get(in);
        output.put(inflate(in, size));
      }

      private byte[] inflate(byte[] in, int size) throws IOException {
        if (codec == CompressionCodecName.UNCOMPRESSED) {
          return in;
        }
        if (codec == CompressionCodecName.GZIP) {
          // several concatenated gzip members are one stream (some writers emit them)
          try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
            byte[] out = gz.readNBytes(size);
            if (out.length != size) {
              throw new IOException(file + ": a gzip page holds " + out.length
                  + " bytes but its header says " + size);
            }
            return out;
          }
        }
        byte[] out = new byte[size];
        int n = d.decompress(in, 0, in.length, out, 0, size);
        return n == size ? out : Arrays.copyOf(out, n);
      }

      @Override
      public void release() {}
    };
  }

  private FrameException unsupported(CompressionCodecName codec) {
    return new FrameException(file + ": Parquet codec " + codec + " is not supported (Tessera"
        + " reads and writes UNCOMPRESSED, SNAPPY, GZIP, ZSTD and LZ4_RAW); rewrite the file"
        + " with one of those, for example pyarrow.parquet.write_table(t, f,"
        + " compression='zstd')");
  }

  @Override
  public void release() {}
}
