package dev.tessera.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority and one PKCS#12 key store per node, for mutual TLS between
 * a program and its workers: for tests and a first try. A site with its own authority gives
 * its own stores to {@link ClusterOptions.Builder#ssl} and the worker command instead.
 *
 * <pre>{@code
 * Certificates certs = Certificates.create(Path.of("tls"), password, "client", "worker");
 * ClusterOptions o = ClusterOptions.builder()
 *     .ssl(certs.keyStore("client"), certs.trustStore(), password).build();
 * }</pre>
 *
 * Files: {@code ca.p12} (the trust store: the authority's certificate only) and
 * {@code NAME.p12} per node (its EC P-256 key, its certificate for {@code NAME},
 * {@code localhost} and {@code 127.0.0.1}, and the authority's). The authority's private key
 * is not kept: no one can sign more certificates for this set. From a shell:
 * {@code java -cp ... dev.tessera.cluster.Certificates DIR NAME...} with the password in
 * {@code TESSERA_SSL_PASSWORD}.
 */
public final class Certificates {
  private final Path trustStore;
  private final Map<String, Path> keyStores;

  private Certificates(Path trustStore, Map<String, Path> keyStores) {
    this.trustStore = trustStore;
    this.keyStores = Map.copyOf(keyStores);
  }

  /**
   * Makes a new authority and a key store per name in {@code dir} (created if needed; existing
   * files of the same names are replaced).
   *
   * @param dir where to write
   * @param password the password of every store written
   * @param names the nodes' names, at least one; each also names its file
   * @return where the files are
   * @throws IllegalStateException if they cannot be made or written
   */
  public static Certificates create(Path dir, char[] password, String... names) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(names, "names");
    if (names.length == 0) {
      throw new IllegalArgumentException("names: give at least one node name");
    }
    for (String n : names) {
      Objects.requireNonNull(n, "names element");
      if (!n.matches("[A-Za-z0-9._-]+") || n.equals("ca")) {
        throw new IllegalArgumentException("node name " + n + " must be letters, digits, '.',"
            + " '_' or '-' (and not \"ca\")");
      }
    }
    try {
      Files.createDirectories(dir);
      KeyPair ca = newKey();
      X500Name caName = new X500Name("CN=Tessera cluster CA " + Instant.now());
      X509Certificate caCert = sign(caName, ca, caName, ca, true, null);
      Path trust = dir.resolve("ca.p12");
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("ca", caCert);
      write(ts, trust, password);
      Map<String, Path> out = new LinkedHashMap<>();
      for (String n : names) {
        KeyPair node = newKey();
        X509Certificate cert = sign(new X500Name("CN=" + n), node, caName, ca, false, n);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("node", node.getPrivate(), password,
            new java.security.cert.Certificate[] {cert, caCert});
        Path p = dir.resolve(n + ".p12");
        write(ks, p, password);
        out.put(n, p);
      }
      return new Certificates(trust, out);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make the certificates in " + dir + ": " + e, e);
    }
  }

  /** {@return the trust store: the authority's certificate} */
  public Path trustStore() {
    return trustStore;
  }

  /**
   * Returns the key store of one node.
   *
   * @param name a name given to {@link #create}
   * @return its file
   * @throws IllegalArgumentException if no store has that name
   */
  public Path keyStore(String name) {
    Objects.requireNonNull(name, "name");
    Path p = keyStores.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no key store named " + name + "; there are "
          + keyStores.keySet());
    }
    return p;
  }

  /**
   * Writes a set from a shell: {@code Certificates DIR NAME...}, the password in the
   * environment variable {@code TESSERA_SSL_PASSWORD}.
   *
   * @param args the directory, then the node names
   */
  public static void main(String[] args) {
    Objects.requireNonNull(args, "args");
    String pw = System.getenv("TESSERA_SSL_PASSWORD");
    if (args.length < 2 || pw == null) {
      System.err.println("usage: TESSERA_SSL_PASSWORD=... Certificates DIR NAME... (writes"
          + " DIR/ca.p12 and DIR/NAME.p12)");
      System.exit(2);
    }
    List<String> names = new ArrayList<>(List.of(args).subList(1, args.length));
    Certificates c = create(Path.of(args[0]), pw.toCharArray(), names.toArray(new String[0]));
    System.out.println("trust store " + c.trustStore());
    for (String n : names) {
      System.out.println("key store of " + n + ": " + c.keyStore(n));
    }
  }

  private static KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer,
      KeyPair issuerKey, boolean isCa, String host)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
        new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(isCa ? 3650 : 825))), subject,
        subjectKey.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
          new GeneralName[] {new GeneralName(GeneralName.dNSName, host),
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
  }

  private static void write(KeyStore ks, Path p, char[] password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(p)) {
      ks.store(out, password);
    }
  }
}
