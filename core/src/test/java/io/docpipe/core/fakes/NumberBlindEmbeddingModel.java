package io.docpipe.core.fakes;

import io.docpipe.core.port.out.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dense model that, like a real small sentence model, cannot tell numbers apart: a text's last
 * number {@code N} sets the angle of a 2-d unit vector, but only through {@code N / 10}, so "small
 * file number 999" is exactly as close to notes 990 to 999 as to its own note, and the dense side
 * alone ranks the right note anywhere among ten.
 */
public final class NumberBlindEmbeddingModel implements EmbeddingModel {

  private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)\\D*$");

  @Override
  public String modelId() {
    return "number-blind";
  }

  @Override
  public int dimension() {
    return 2;
  }

  @Override
  public int maxInputTokens() {
    return 64;
  }

  @Override
  public int countTokens(String text) {
    return text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (String text : texts) {
      Matcher m = LAST_NUMBER.matcher(text);
      double angle = m.find() ? (Integer.parseInt(m.group(1)) / 10) * 0.001 : 0;
      vectors.add(new float[] {(float) Math.cos(angle), (float) Math.sin(angle)});
    }
    return vectors;
  }
}
