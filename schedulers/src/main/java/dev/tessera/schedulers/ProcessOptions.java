package dev.tessera.schedulers;

import dev.tessera.graph.spi.Codec;
import dev.tessera.schedulers.engine.NativeThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link ProcessScheduler}; immutable, made with {@link #builder()}.
 *
 * <pre>{@code
 * ProcessScheduler s = Schedulers.processes(ProcessOptions.builder()
 *     .workers(4).jvmArgs("-Xmx2g").codec(MyCodec.class).build());
 * }</pre>
 *
 * <p>Native thread pools: each worker JVM starts with {@code OMP_NUM_THREADS}, {@code OPENBLAS_NUM_THREADS} and {@code MKL_NUM_THREADS} set to
 * its share of the cores (cores / workers, at least 1), as Dask does for its workers, unless
 * this JVM's environment or {@link Builder#environment} sets them. Without it every worker's
 * BLAS and ND4J would start one thread per core, and two workers on two cores doing QRs run
 * several times slower than with one thread each (measured: 131 s against 13 s).
 */
public final class ProcessOptions {
  private final int workers;
  private final List<String> jvmArgs;
  private final boolean inheritJvmArgs;
  private final List<String> codecs;
  private final int maxDeaths;
  private final Duration startTimeout;
  private final long maxValueBytes;
  private final Map<String, String> environment;

  private ProcessOptions(Builder b) {
    this.workers = b.workers;
    this.jvmArgs = List.copyOf(b.jvmArgs);
    this.inheritJvmArgs = b.inheritJvmArgs;
    this.codecs = List.copyOf(b.codecs);
    this.maxDeaths = b.maxDeaths;
    this.startTimeout = b.startTimeout;
    this.maxValueBytes = b.maxValueBytes;
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
  }

  /** {@return a builder with the defaults: one worker per core, the parent's JVM flags} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the default options} */
  public static ProcessOptions defaults() {
    return builder().build();
  }

  /** {@return the number of worker JVMs} */
  public int workers() {
    return workers;
  }

  /** {@return extra JVM flags for the workers (after the inherited ones)} */
  public List<String> jvmArgs() {
    return jvmArgs;
  }

  /** {@return whether workers get the parent's JVM flags} */
  public boolean inheritJvmArgs() {
    return inheritJvmArgs;
  }

  /** {@return the class names of extra codecs} */
  public List<String> codecs() {
    return codecs;
  }

  /** {@return how many worker deaths one task may cause before the computation fails} */
  public int maxDeaths() {
    return maxDeaths;
  }

  /** {@return how long a new worker may take to connect} */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** {@return the environment variables set for the workers, over this JVM's own} */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * Returns the environment a worker JVM starts with, over this JVM's: the variables set
   * with {@link Builder#environment}, and each native thread variable this JVM does not set
   * at the workers' share of the cores.
   */
  Map<String, String> workerEnvironment(Map<String, String> inherited) {
    Map<String, String> env = new LinkedHashMap<>(NativeThreads.forWorkers(workers, inherited));
    env.putAll(environment);
    return env;
  }

  /** Returns the largest value this JVM accepts from a worker (for tests; default: any). */
  long maxValueBytes() {
    return maxValueBytes;
  }

  /** Builds {@link ProcessOptions}. */
  public static final class Builder {
    private int workers = Runtime.getRuntime().availableProcessors();
    private final List<String> jvmArgs = new ArrayList<>();
    private boolean inheritJvmArgs = true;
    private final List<String> codecs = new ArrayList<>();
    private int maxDeaths = 3;
    private Duration startTimeout = Duration.ofSeconds(60);
    private long maxValueBytes = Long.MAX_VALUE;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets an environment variable of the worker JVMs, over this JVM's environment; for
     * example {@code environment("OMP_NUM_THREADS", "2")} to give each worker's native
     * libraries two threads instead of its share of the cores.
     *
     * @param name the variable's name
     * @param value its value
     * @return this builder
     */
    public Builder environment(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || name.indexOf('=') >= 0) {
        throw new IllegalArgumentException("not an environment variable name: '" + name + "'");
      }
      environment.put(name, value);
      return this;
    }

    /**
     * Sets the number of worker JVMs.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder workers(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("a process pool needs at least 1 worker, got " + n);
      }
      this.workers = n;
      return this;
    }

    /**
     * Adds JVM flags for the workers, such as {@code -Xmx2g}.
     *
     * @param args the flags
     * @return this builder
     */
    public Builder jvmArgs(String... args) {
      jvmArgs.addAll(List.of(args));
      return this;
    }

    /**
     * Sets whether workers get the parent's JVM flags (default true).
     *
     * @param inherit whether to inherit
     * @return this builder
     */
    public Builder inheritJvmArgs(boolean inherit) {
      this.inheritJvmArgs = inherit;
      return this;
    }

    /**
     * Registers a codec for values of a user type; it needs a public no-argument constructor.
     *
     * @param codec the codec class
     * @return this builder
     */
    public Builder codec(Class<? extends Codec<?>> codec) {
      codecs.add(codec.getName());
      return this;
    }

    /**
     * Sets how many worker deaths one task may cause before the computation fails (default 3).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxDeaths(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxDeaths must be at least 1, got " + n);
      }
      this.maxDeaths = n;
      return this;
    }

    /**
     * Sets how long a new worker may take to start and connect (default 60 s).
     *
     * @param timeout the time limit
     * @return this builder
     */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** Lowers the largest value accepted from a worker: lets tests play "too large". */
    Builder maxValueBytes(long bytes) {
      this.maxValueBytes = bytes;
      return this;
    }

    /** {@return the options} */
    public ProcessOptions build() {
      return new ProcessOptions(this);
    }
  }
}
