// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.config.ConfigException;
import dev.secretsprefetch.extension.config.Environment;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which certificate authorities the Secrets Manager calls trust: the build's CA bundle (built into the native
 * executable, linked into the JVM layer's runtime) holds the roots AWS endpoints chain to; {@code AWS_CA_BUNDLE}
 * replaces it with a PEM file's certificates. The TLS handshakes themselves are {@code TlsAndProxiesIT}'s.
 */
class TrustedAuthoritiesTest {

    /** The roots Secrets Manager's endpoints chain to (Amazon Trust Services, and Starfield for older clients). */
    private static final List<String> AWS_ROOTS = List.of("CN=Amazon Root CA 1,O=Amazon,C=US",
            "CN=Amazon Root CA 2,O=Amazon,C=US", "CN=Amazon Root CA 3,O=Amazon,C=US",
            "CN=Amazon Root CA 4,O=Amazon,C=US",
            "CN=Starfield Services Root Certificate Authority - G2,O=Starfield Technologies\\, Inc.,L=Scottsdale,"
                    + "ST=Arizona,C=US");

    @TempDir
    Path tmp;

    @Test
    void theBuildsCaBundleHoldsTheRootsAwsEndpointsChainTo() throws Exception {
        Path bundle = Path.of(System.getProperty("secretsprefetch.ca.bundle",
                Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toString()));
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(bundle)) {
            store.load(in, null);
        }
        Set<String> subjects = Collections.list(store.aliases()).stream()
                .map(alias -> certificate(store, alias))
                .map(c -> c.getSubjectX500Principal().getName())
                .collect(Collectors.toSet());
        for (String root : AWS_ROOTS) {
            assertTrue(subjects.contains(root), bundle + " lacks " + root + " (" + subjects.size() + " roots)");
        }
    }

    private static X509Certificate certificate(KeyStore store, String alias) {
        try {
            return (X509Certificate) store.getCertificate(alias);
        } catch (java.security.KeyStoreException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPemBundleWithCommentsBetweenCertificatesIsRead() throws Exception {
        TestCertificates certificates = TestCertificates.create(tmp.resolve("tls"), List.of());
        String pem = Files.readString(certificates.caPem());
        Path bundle = Files.writeString(tmp.resolve("bundle.pem"), "# A bundle as distributions write them\n" + pem
                + "\n# the same one again, under another comment\n" + pem);
        SSLContext context = TrustedAuthorities.context(Optional.of(bundle));
        assertEquals("TLS", context.getProtocol());
    }

    @Test
    void aFileWithoutCertificatesIsASetupErrorNamingTheVariable() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "nothing here\n");
        AwsCallException e = assertThrows(AwsCallException.class,
                () -> TrustedAuthorities.context(Optional.of(empty)));
        assertEquals(AwsCallException.Kind.SETUP, e.kind());
        assertTrue(e.getMessage().startsWith("AWS_CA_BUNDLE " + empty + " cannot be used"), e.getMessage());
    }

    @Test
    void aFileLargerThanAnyBundleIsRefusedUnread() throws Exception {
        Path huge = tmp.resolve("huge.pem");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(TrustedAuthorities.MAX_BUNDLE_BYTES + 1);
        }
        AwsCallException e = assertThrows(AwsCallException.class,
                () -> TrustedAuthorities.context(Optional.of(huge)));
        assertTrue(e.getMessage().contains("is larger than 64 MB"), e.getMessage());
    }

    @Test
    void aBundleThatIsNotAReadableFileFailsTheConfiguration() {
        ConfigException e = assertThrows(ConfigException.class, () -> Environment.from(Map.of("AWS_CA_BUNDLE",
                tmp.resolve("absent.pem").toString())));
        assertTrue(e.getMessage().startsWith("AWS_CA_BUNDLE names " + tmp.resolve("absent.pem") + ", which is not a "
                + "readable file"), e.getMessage());
    }

    @Test
    void withoutTheVariableTheDefaultContextIsUsed() throws Exception {
        assertEquals(SSLContext.getDefault(), TrustedAuthorities.context(Optional.empty()));
        assertEquals(Optional.empty(), Environment.from(Map.of()).caBundle());
    }
}
