package io.docpipe.s3;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * For the cold-start measurement in docs/benchmarks.md (not a test): S3Mock on 127.0.0.1 with
 * bucket {@code cold} holding {@code doc.txt}; prints the port, runs until standard input closes.
 */
public final class ColdStartServer {

  private ColdStartServer() {}

  public static void main(String[] args) throws IOException {
    S3MockExtension server = LocalS3.server();
    server.start();
    try (S3Client s3 = LocalS3.client(server)) {
      s3.createBucket(b -> b.bucket("cold"));
      LocalS3.put(
          s3, "cold", "doc.txt", "a small document".getBytes(StandardCharsets.UTF_8), "text/plain");
    }
    System.out.println(server.getHttpPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for end of input
    }
    server.stop();
  }
}
