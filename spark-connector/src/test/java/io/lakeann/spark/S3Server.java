package io.lakeann.spark;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-compatible server on loopback for tests: s3proxy over a folder of the test's, with
 * one bucket and AWS v4 signatures, and the Spark settings of an Iceberg catalog that is safe on
 * object storage: Iceberg's JDBC catalog on an embedded SQLite database, its warehouse in the
 * bucket, read and written through Iceberg's S3FileIO (the AWS SDK). Close it to stop the server.
 */
public final class S3Server implements AutoCloseable {
  public static final String BUCKET = "lakebucket";
  public static final String ACCESS_KEY = "lakeann-access";
  public static final String SECRET_KEY = "lakeann-secret-key";

  private final BlobStoreContext blobs;
  private final S3Proxy proxy;

  private S3Server(BlobStoreContext blobs, S3Proxy proxy) {
    this.blobs = blobs;
    this.proxy = proxy;
  }

  /** Starts a server keeping its objects under {@code dir}, with the bucket {@link #BUCKET}. */
  public static S3Server start(Path dir) throws Exception {
    Properties store = new Properties();
    store.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir).toString());
    BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem")
        .credentials("identity", "credential").overrides(store).build(BlobStoreContext.class);
    blobs.getBlobStore().createContainerInLocation(null, BUCKET);
    S3Proxy proxy = S3Proxy.builder().blobStore(blobs.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        // The AWS SDK sends checksum headers s3proxy does not know; it must not refuse them.
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        blobs.close();
        throw new IllegalStateException("s3proxy did not start within 30 s: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    return new S3Server(blobs, proxy);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /**
   * The settings of catalog {@code lake}: a JDBC catalog in the SQLite file {@code database},
   * warehouse {@code s3://BUCKET/warehouse}, S3FileIO against this server.
   */
  public Map<String, String> catalog(Path database, String warehouse) {
    String c = LocalSpark.CATALOG_KEY;
    Map<String, String> out = new LinkedHashMap<>();
    out.put(c, "org.apache.iceberg.spark.SparkCatalog");
    out.put(c + ".type", "jdbc");
    out.put(c + ".uri", "jdbc:sqlite:" + database.toAbsolutePath());
    out.put(c + ".jdbc.schema-version", "V1");
    out.put(c + ".warehouse", "s3://" + BUCKET + "/" + warehouse);
    out.put(c + ".io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    out.put(c + ".s3.endpoint", endpoint());
    out.put(c + ".s3.path-style-access", "true");
    out.put(c + ".s3.access-key-id", ACCESS_KEY);
    out.put(c + ".s3.secret-access-key", SECRET_KEY);
    out.put(c + ".client.region", "us-east-1");
    // s3proxy does not take the SDK's aws-chunked uploads with trailing checksums.
    out.put(c + ".s3.chunked-encoding-enabled", "false");
    return out;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    blobs.close();
  }
}
