package io.docpipe.archfixture.core.service;

import io.docpipe.archfixture.core.model.ModelUsingAService;

/** Deliberately broken: writes to System.out and uses a test framework class. */
public final class ServicePrinting {
  @SuppressWarnings("SystemOut")
  public void print(ModelUsingAService model) {
    System.out.println(model);
    org.junit.jupiter.api.Assertions.assertNotNull(model);
  }
}
