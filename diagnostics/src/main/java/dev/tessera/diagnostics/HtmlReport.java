package dev.tessera.diagnostics;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTML report: a page template and a small script (both resources of this package) with
 * the data inlined as JSON, so the file opens anywhere without network access.
 */
final class HtmlReport {
  private HtmlReport() {}

  static String render(ReportData d) {
    String page = resource("report.html");
    String script = resource("report.js");
    // a "</script>" or "<!--" inside a key would end the script element early
    String json = json(d).toString().replace("<", "\\u003c");
    return page.replace("/*SCRIPT*/", script).replace("/*DATA*/", json);
  }

  static JsonObject json(ReportData d) {
    JsonObject o = new JsonObject();
    o.addProperty("end", d.end);
    o.addProperty("hasTasks", d.hasTasks);
    o.addProperty("hasResources", d.hasResources);
    o.addProperty("hasCache", d.hasCache);
    o.addProperty("cacheBytes", d.cacheBytes);
    JsonArray workers = new JsonArray();
    d.workers.forEach(workers::add);
    o.add("workers", workers);
    JsonArray prefixes = new JsonArray();
    JsonArray colors = new JsonArray();
    for (int i = 0; i < d.prefixes.size(); i++) {
      prefixes.add(d.prefixes.get(i));
      colors.add(ReportData.color(i));
    }
    o.add("prefixes", prefixes);
    o.add("colors", colors);
    JsonArray tasks = new JsonArray();
    for (ReportData.Bar b : d.bars) {
      JsonArray t = new JsonArray();
      t.add(b.worker());
      t.add(b.start());
      t.add(b.end());
      t.add(b.prefix());
      t.add(b.key());
      t.add(b.failed());
      tasks.add(t);
    }
    o.add("tasks", tasks);
    JsonArray res = new JsonArray();
    for (ReportData.Resource r : d.resources) {
      JsonArray a = new JsonArray();
      a.add(r.time());
      a.add(r.cpuPercent());
      a.add(r.rssMiB());
      a.add(r.heapMiB());
      res.add(a);
    }
    o.add("resources", res);
    JsonArray cache = new JsonArray();
    for (ReportData.Cache c : d.cache) {
      JsonArray a = new JsonArray();
      a.add(c.time());
      a.add(c.held());
      a.add(c.bytes());
      cache.add(a);
    }
    o.add("cache", cache);
    return o;
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the"
            + " tessera-diagnostics jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
