package io.docpipe.core.port.in;

import java.util.Objects;

/** Whether the vector store answers now: the readiness of everything that reads or writes it. */
public sealed interface StoreStatus {

  /** The store serves requests. */
  record Answering() implements StoreStatus {}

  /** The store cannot serve requests now; {@code reason} says why, for an operator. */
  record NotAnswering(String reason) implements StoreStatus {
    public NotAnswering {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
