// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import dev.secretsprefetch.extension.config.Echo;
import dev.secretsprefetch.extension.config.Environment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate authorities the Secrets Manager calls trust. By default the runtime's own: the JDK's
 * {@code cacerts}, which the native executable carries inside it (taken from the build's Temurin, the same file the
 * Amazon Linux 2 layer's runtime reads; docs/layers.md). {@code AWS_CA_BUNDLE}, the AWS SDKs' variable, names a
 * PEM file whose certificates replace them, as it does for the AWS CLI and boto3: for a TLS-intercepting proxy or
 * a private endpoint with a CA of its own.
 */
public final class TrustedAuthorities {

    /** Hundreds of times the Mozilla set's 220 KB as PEM: anything larger is not a CA bundle, and is not read. */
    static final long MAX_BUNDLE_BYTES = 64L * 1024 * 1024;

    private TrustedAuthorities() {
    }

    /** The TLS context of https calls: the JDK's default one, or one that trusts {@code bundle} alone. */
    static SSLContext context(Optional<Path> bundle) {
        try {
            return bundle.isPresent() ? fromBundle(bundle.get()) : SSLContext.getDefault();
        } catch (GeneralSecurityException | IOException e) {
            throw AwsCallException.setup(bundle.map(b -> Environment.AWS_CA_BUNDLE + " " + Echo.path(b)
                    + " cannot be used (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")
                    .orElse("the JDK's TLS context cannot be set up (" + e.getMessage() + ")"), e);
        }
    }

    private static SSLContext fromBundle(Path bundle) throws GeneralSecurityException, IOException {
        if (Files.size(bundle) > MAX_BUNDLE_BYTES) {
            throw new GeneralSecurityException("it is larger than " + MAX_BUNDLE_BYTES / (1024 * 1024)
                    + " MB, which no bundle of certificate authorities is");
        }
        // Read whole first: the JDK's PEM reader takes its input a byte at a time, a system call each from a file
        // (a 200 KB bundle took 270 ms of CPU that way).
        Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(bundle)));
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("it holds no PEM certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int index = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("aws-ca-bundle-" + index++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
