package io.docpipe.s3;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.SourceException;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The objects under one bucket and prefix, listed page by page as the stream is consumed. */
final class PrefixCorpus extends S3Objects implements S3Corpus {

  private static final System.Logger LOG = System.getLogger(PrefixCorpus.class.getName());

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final int pageSize;

  PrefixCorpus(S3Client s3, String bucket, String prefix, int pageSize) {
    super(s3);
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.pageSize = pageSize;
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public String prefix() {
    return prefix;
  }

  @Override
  public String toString() {
    return "S3Corpus[s3://" + bucket + "/" + prefix + "]";
  }

  @Override
  S3Location locate(DocumentRef ref) throws SourceException {
    S3Location location = super.locate(ref);
    if (!location.bucket().equals(bucket) || !location.key().startsWith(prefix)) {
      throw new SourceException(
          FailureReason.INVALID_INPUT,
          location + " is not inside the corpus s3://" + bucket + "/" + prefix);
    }
    return location;
  }

  @Override
  public Stream<DocumentRef> list(@Nullable DocumentId startAfter) {
    Pages pages = new Pages(startAfter);
    pages.fetchPage(); // a missing bucket or denied access fails here, not mid-stream
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            pages, Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL),
        false);
  }

  /** The listing: ListObjectsV2 pages, the next one requested when the last is used up. */
  private final class Pages implements Iterator<DocumentRef> {
    private @Nullable DocumentId last;
    private @Nullable String continuation;
    private boolean lastPage;
    private Iterator<S3Object> page = java.util.Collections.emptyIterator();
    private @Nullable DocumentRef next;

    Pages(@Nullable DocumentId startAfter) {
      this.last = startAfter;
    }

    void fetchPage() {
      ListObjectsV2Request.Builder request =
          ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(pageSize);
      if (continuation != null) {
        request.continuationToken(continuation);
      } else if (last != null) {
        request.startAfter(prefix + last.value());
      }
      ListObjectsV2Response response;
      try {
        response = s3.listObjectsV2(request.build());
      } catch (NoSuchBucketException e) {
        throw new CorpusUnavailableException("bucket " + bucket + " does not exist", false, e);
      } catch (S3Exception e) {
        boolean retriable =
            e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException();
        throw new CorpusUnavailableException(
            "cannot list s3://"
                + bucket
                + "/"
                + prefix
                + ": S3 answered "
                + e.statusCode()
                + (e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorCode()),
            retriable,
            e);
      } catch (SdkClientException e) {
        throw new CorpusUnavailableException(
            "cannot reach S3 to list s3://" + bucket + "/" + prefix + ": " + e.getMessage(),
            true,
            e);
      } catch (SdkException e) {
        throw new CorpusUnavailableException(
            "listing s3://" + bucket + "/" + prefix + " failed: " + e.getMessage(), true, e);
      }
      page = response.contents().iterator();
      continuation = response.nextContinuationToken();
      lastPage = !Boolean.TRUE.equals(response.isTruncated()) || continuation == null;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (!page.hasNext()) {
          if (lastPage) {
            return false;
          }
          fetchPage();
          continue;
        }
        next = toRef(page.next());
      }
      return true;
    }

    @Override
    public DocumentRef next() {
      DocumentRef ref = hasNext() ? next : null;
      if (ref == null) {
        throw new NoSuchElementException();
      }
      next = null;
      return ref;
    }

    private @Nullable DocumentRef toRef(S3Object object) {
      String key = object.key();
      if (!key.startsWith(prefix) || key.endsWith("/")) {
        return null; // folder markers, and anything a server lists outside the prefix
      }
      DocumentId id;
      try {
        id = DocumentId.of(key.substring(prefix.length()));
      } catch (IllegalArgumentException e) {
        LOG.log(Level.WARNING, "Skipping s3://{0}/{1}: {2}", bucket, key, e.getMessage());
        return null;
      }
      if (last != null && id.compareTo(last) <= 0) {
        // S3 lists in UTF-8 byte order; a server that does not (S3Mock sorts UTF-16 strings) would
        // make checkpoints skip documents, so the listing stops rather than lose any silently.
        throw new CorpusUnavailableException(
            "s3://"
                + bucket
                + "/"
                + prefix
                + ": the server listed '"
                + id
                + "' after '"
                + last
                + "', not in UTF-8 byte order as S3 does; docpipe cannot resume such a listing",
            false);
      }
      last = id;
      return new DocumentRef(
          id,
          new S3Location(bucket, key).uri(),
          Keys.metadata(id.value(), object.eTag()),
          object.size());
    }
  }
}
