package io.docpipe.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The PNG plots beside docs/benchmarks.md: what a reader looks at instead of the tables. */
final class Plots {

  private Plots() {}

  /** docpipe / baseline ratios (median) next to each comparison's goal. */
  static void ratios(Path file, List<String> names, List<Double> medians, List<Double> goals) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(450)
            .title("docpipe vs its baseline, same data, same run (higher is better)")
            .yAxisTitle("docpipe / baseline")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    // Markers, not bars: bars start at zero, which a log axis cannot show, and ratios from 0.4×
    // to 55× need one.
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisLabelRotation(15);
    // A log axis refuses zero; a ratio that rounds to nothing is drawn at the axis floor.
    chart.addSeries(
        "measured (median)", names, medians.stream().map(m -> Math.max(m, 0.01)).toList());
    chart.addSeries("goal", names, goals);
    save(chart, file);
  }

  static void embedding(Path file, Map<Integer, Double> docpipe, Map<Integer, Double> baseline) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(450)
            .title("Embedding throughput by batch size (all-MiniLM-L6-v2, same chunks)")
            .xAxisTitle("batch size")
            .yAxisTitle("chunks per CPU-second")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.addSeries(
        "docpipe onnx adapter", List.copyOf(docpipe.keySet()), List.copyOf(docpipe.values()));
    chart.addSeries(
        "LangChain4j in-process model",
        List.copyOf(baseline.keySet()),
        List.copyOf(baseline.values()));
    save(chart, file);
  }

  static void search(
      Path file, List<String> sizes, List<Double> docpipeP50, List<Double> baselineP50) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(450)
            .title("Search latency p50, k=10, 384 dimensions (lower is better)")
            .yAxisTitle("microseconds")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.addSeries("docpipe lucene (HNSW)", sizes, docpipeP50);
    chart.addSeries("LangChain4j InMemoryEmbeddingStore", sizes, baselineP50);
    save(chart, file);
  }

  /** Grouped bars: one group per category, one bar per series (e.g. per JVM flag set). */
  static void bars(
      Path file,
      String title,
      String yAxis,
      List<String> categories,
      Map<String, List<Double>> series) {
    CategoryChart chart =
        new CategoryChartBuilder().width(900).height(450).title(title).yAxisTitle(yAxis).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    save(chart, file);
  }

  /** Lines over time: x in seconds, one line per series (e.g. RSS in MB). */
  static void overTime(Path file, String title, String yAxis, Map<String, List<double[]>> series) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(450)
            .title(title)
            .xAxisTitle("seconds since process start")
            .yAxisTitle(yAxis)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setMarkerSize(0);
    series.forEach(
        (name, points) ->
            chart.addSeries(
                name,
                points.stream().map(p -> p[0]).toList(),
                points.stream().map(p -> p[1]).toList()));
    save(chart, file);
  }

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
    try {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
