package dev.kafkaprimer.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.config.types.Password;

/**
 * A throwaway certificate authority and the files a TLS listener and its clients need, made with the JDK's own
 * {@code keytool}, the way an operator would make them by hand:
 * <ol>
 *   <li>a CA key pair with a self-signed certificate ({@code -ext bc:c}: it may sign others);</li>
 *   <li>the trust store clients use: the CA certificate only;</li>
 *   <li>the broker's key pair, a signing request, and the certificate the CA issues for it, valid for
 *       {@code IP:127.0.0.1} and {@code DNS:localhost} (clients check the name they dialled against these);</li>
 *   <li>the broker's key store: its private key with the chain broker certificate, CA certificate;</li>
 *   <li>only for mutual TLS: the same three steps for a client, {@code CN=kafka-primer-client}, whose certificate
 *       may serve only as a client's ({@code EKU=clientAuth}) and names no host (a broker does not check the
 *       client's address, only that the CA vouches for the certificate).</li>
 * </ol>
 * Key pairs are EC P-256 (quick to make); stores are PKCS12. Passwords are random and reach {@code keytool}
 * through its environment ({@code -storepass:env}), never its command line, where {@code ps} would show them.
 * The files live in the directory given, which the cluster deletes on close.
 */
final class TlsFiles {

    /** One keytool run may take this long before the cluster's start fails. */
    private static final Duration KEYTOOL_DEADLINE = Duration.ofSeconds(60);
    private static final String VALIDITY_DAYS = "365";
    /** The CA's key pair and its certificate: made once by {@link #create}, used by every {@link #issue}. */
    private static final String CA_STORE = "ca.p12";
    private static final String CA_CERTIFICATE = "ca.pem";
    private static final String CA_PASSWORD = "KAFKA_PRIMER_CA_PASSWORD";
    private static final String BROKER_PASSWORD = "KAFKA_PRIMER_BROKER_PASSWORD";
    private static final String TRUST_PASSWORD = "KAFKA_PRIMER_TRUST_PASSWORD";
    private static final String CLIENT_PASSWORD = "KAFKA_PRIMER_CLIENT_PASSWORD";
    /** The client certificate's name: the broker sees the client as {@code User:CN=kafka-primer-client}, for ACLs. */
    private static final String CLIENT_COMMON_NAME = "kafka-primer-client";

    private final Path brokerKeyStore;
    private final Password brokerKeyStorePassword;
    private final TrustStore trustStore;
    private final ClientKeyStore clientKeyStore;

    private TlsFiles(Path brokerKeyStore, Password brokerKeyStorePassword, TrustStore trustStore,
                     ClientKeyStore clientKeyStore) {
        this.brokerKeyStore = brokerKeyStore;
        this.brokerKeyStorePassword = brokerKeyStorePassword;
        this.trustStore = trustStore;
        this.clientKeyStore = clientKeyStore;
    }

    /**
     * Makes the CA, the broker's key store and the clients' trust store in {@code directory}, and with
     * {@code clientCertificate} a client's key store too (a few more seconds of {@code keytool}).
     *
     * @throws IllegalStateException naming the keytool step and its output if one fails or overruns its deadline
     */
    static TlsFiles create(Path directory, boolean clientCertificate) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + directory, e);
        }
        Map<String, String> passwords = Map.of(
                CA_PASSWORD, randomSecret(),
                BROKER_PASSWORD, randomSecret(),
                TRUST_PASSWORD, randomSecret(),
                CLIENT_PASSWORD, randomSecret());
        Path ca = directory.resolve(CA_STORE);
        Path caCertificate = directory.resolve(CA_CERTIFICATE);
        Path truststore = directory.resolve("truststore.p12");

        keytool(directory, passwords, "-genkeypair", "-alias", "ca", "-dname", "CN=Kafka Primer test CA",
                "-ext", "bc:c", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS,
                "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass:env", CA_PASSWORD);
        keytool(directory, passwords, "-exportcert", "-rfc", "-alias", "ca", "-file", caCertificate.toString(),
                "-keystore", ca.toString(), "-storepass:env", CA_PASSWORD);
        keytool(directory, passwords, "-importcert", "-noprompt", "-alias", "kafka-primer-ca",
                "-file", caCertificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass:env", TRUST_PASSWORD);
        Path broker = issue(directory, passwords, "broker", "CN=localhost", BROKER_PASSWORD,
                // clientAuth too: the same key would let a broker reach another broker's TLS listener (here
                // brokers talk over PLAINTEXT on loopback, so it is never needed).
                "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-ext", "KU=digitalSignature",
                "-ext", "EKU=serverAuth,clientAuth");
        ClientKeyStore client = null;
        if (clientCertificate) {
            Path store = issue(directory, passwords, "client", "CN=" + CLIENT_COMMON_NAME, CLIENT_PASSWORD,
                    "-ext", "KU=digitalSignature", "-ext", "EKU=clientAuth");
            client = new ClientKeyStore(store, "PKCS12", new Password(passwords.get(CLIENT_PASSWORD)));
        }
        return new TlsFiles(broker, new Password(passwords.get(BROKER_PASSWORD)),
                new TrustStore(truststore, "PKCS12", new Password(passwords.get(TRUST_PASSWORD))), client);
    }

    /**
     * Makes {@code name.p12}: a key pair, a signing request, the certificate the CA issues for it with
     * {@code extensions}, and that certificate installed over the self-signed one as the chain certificate, CA
     * certificate. Needs the CA's files ({@value #CA_STORE}, {@value #CA_CERTIFICATE}) in {@code directory}.
     */
    private static Path issue(Path directory, Map<String, String> passwords, String name, String distinguishedName,
                              String passwordVariable, String... extensions) {
        Path ca = directory.resolve(CA_STORE);
        Path caCertificate = directory.resolve(CA_CERTIFICATE);
        Path store = directory.resolve(name + ".p12");
        Path request = directory.resolve(name + ".csr");
        Path certificate = directory.resolve(name + ".pem");
        Path chain = directory.resolve(name + "-chain.pem");
        keytool(directory, passwords, "-genkeypair", "-alias", name, "-dname", distinguishedName,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS,
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass:env", passwordVariable);
        keytool(directory, passwords, "-certreq", "-alias", name, "-file", request.toString(),
                "-keystore", store.toString(), "-storepass:env", passwordVariable);
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca",
                "-infile", request.toString(), "-outfile", certificate.toString(), "-validity", VALIDITY_DAYS));
        gencert.addAll(List.of(extensions));
        gencert.addAll(List.of("-keystore", ca.toString(), "-storepass:env", CA_PASSWORD));
        keytool(directory, passwords, gencert.toArray(String[]::new));
        try {
            // The reply as a chain (certificate, then CA): keytool installs it without asking whether to trust the CA.
            Files.writeString(chain, Files.readString(certificate, StandardCharsets.US_ASCII)
                    + Files.readString(caCertificate, StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + chain, e);
        }
        keytool(directory, passwords, "-importcert", "-noprompt", "-alias", name, "-file", chain.toString(),
                "-keystore", store.toString(), "-storepass:env", passwordVariable);
        return store;
    }

    /** The broker's PKCS12 key store: its private key and certificate chain. */
    Path brokerKeyStore() {
        return brokerKeyStore;
    }

    /** The password of {@link #brokerKeyStore()}, which is also its key's password (PKCS12 has one). */
    Password brokerKeyStorePassword() {
        return brokerKeyStorePassword;
    }

    /** What clients trust: the CA that signed the broker's certificate. */
    TrustStore trustStore() {
        return trustStore;
    }

    /** The client's key store, when {@link #create} was asked for a client certificate. */
    Optional<ClientKeyStore> clientKeyStore() {
        return Optional.ofNullable(clientKeyStore);
    }

    /** Runs {@code keytool args} with a deadline; its output goes to a log file, shown if it fails. */
    private static void keytool(Path directory, Map<String, String> passwords, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = directory.resolve("keytool.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(passwords);
        String step = "keytool " + args[0];
        try {
            Process process = builder.start();
            if (!process.waitFor(KEYTOOL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(step + " did not finish within " + KEYTOOL_DEADLINE.toSeconds()
                        + " s: " + output(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(step + " failed with exit code " + process.exitValue() + ": "
                        + output(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + step, e);
        }
    }

    private static String output(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** 24 random letters and digits: safe in JAAS lines and SCRAM arguments without quoting. */
    static String randomSecret() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder secret = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            secret.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return secret.toString();
    }
}
