package io.docpipe.archfixture.core.model;

import io.docpipe.archfixture.core.service.ServicePrinting;

/** Deliberately broken: a model class that reaches into a service (and so makes a cycle). */
public record ModelUsingAService(String value) {
  public void run() {
    new ServicePrinting().print(this);
  }
}
