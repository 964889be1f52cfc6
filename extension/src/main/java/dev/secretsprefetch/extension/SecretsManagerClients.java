package dev.secretsprefetch.extension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * One Secrets Manager client per region, built on first use and sharing one url-connection HTTP client.
 *
 * <p>Credentials: Lambda puts the function role's keys in the environment, so they are used as they are,
 * without the default chain's profile-file and metadata lookups. Only when they are absent (SnapStart, where
 * Lambda serves them from a container endpoint, or the one-shot command on a workstation) does the SDK's
 * default chain run.
 */
final class SecretsManagerClients implements AutoCloseable {

    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Environment environment;
    private final Duration callTimeout;
    private final Map<String, SecretsManagerClient> clients = new ConcurrentHashMap<>();
    private volatile SdkHttpClient httpClient;
    private volatile AwsCredentialsProvider credentials;

    /** @param callTimeout the longest any call may take, retries included: the fetch deadline */
    SecretsManagerClients(Environment environment, Duration callTimeout) {
        this.environment = environment;
        this.callTimeout = callTimeout;
    }

    SecretsManagerClient forRegion(String region) {
        return clients.computeIfAbsent(region, this::build);
    }

    private SecretsManagerClient build(String region) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .httpClient(httpClient())
                .overrideConfiguration(o -> o
                        .apiCallTimeout(callTimeout)
                        .retryStrategy(Retries.sdkStrategy())
                        // Settings come from code and the environment; there is no ~/.aws in Lambda to read.
                        .defaultProfileFile(ProfileFile.aggregator().build()));
        environment.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private synchronized SdkHttpClient httpClient() {
        if (httpClient == null) {
            Duration connect = callTimeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? callTimeout : MAX_CONNECT_TIMEOUT;
            httpClient = UrlConnectionHttpClient.builder()
                    .connectionTimeout(connect)
                    .socketTimeout(callTimeout)
                    .build();
        }
        return httpClient;
    }

    private synchronized AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = environment.credentials()
                    .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(toSdk(c)))
                    .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        }
        return credentials;
    }

    private static AwsCredentials toSdk(Environment.EnvironmentCredentials credentials) {
        return credentials.sessionToken()
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(credentials.accessKeyId(),
                        credentials.secretAccessKey(), token))
                .orElseGet(() -> AwsBasicCredentials.create(credentials.accessKeyId(),
                        credentials.secretAccessKey()));
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(SecretsManagerClient::close);
        clients.clear();
        if (httpClient != null) {
            httpClient.close();
        }
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Nothing left to release that matters at exit.
            }
        }
    }
}
