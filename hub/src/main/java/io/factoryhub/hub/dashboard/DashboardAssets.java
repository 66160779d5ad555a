package io.factoryhub.hub.dashboard;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The page's files, read once from the jar into memory: {@code dashboard/} (index.html at {@code /}, app.js,
 * app.css) and uPlot from its webjar (whichever version the build put on the classpath). A fixed list, so no request
 * path ever reaches the class loader. Each answer carries an ETag and {@code Cache-Control: no-cache}: browsers keep
 * the files but ask every time, so a hub upgrade is never served stale, and an unchanged file costs a 304.
 */
final class DashboardAssets implements Handler<RoutingContext> {

    private record Asset(Buffer body, String contentType, String etag) {
    }

    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    /** The page's own code only: no inline script, nothing from another origin, not framed by another site. */
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final Map<String, Asset> byPath;

    private DashboardAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    static DashboardAssets load() {
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        return new DashboardAssets(Map.of(
                "/", asset("dashboard/index.html", "text/html; charset=utf-8"),
                "/dashboard/app.js", asset("dashboard/app.js", "text/javascript; charset=utf-8"),
                "/dashboard/app.css", asset("dashboard/app.css", "text/css; charset=utf-8"),
                "/dashboard/vendor/uPlot.iife.min.js", asset(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
                "/dashboard/vendor/uPlot.min.css", asset(uplot + "uPlot.min.css", "text/css; charset=utf-8")));
    }

    @Override
    public void handle(RoutingContext context) {
        Asset asset = byPath.get(context.normalizedPath());
        if (asset == null) {
            context.next();
            return;
        }
        var response = context.response()
                .putHeader("ETag", asset.etag())
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        if (asset.etag().equals(context.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
        } else {
            response.putHeader("Content-Type", asset.contentType()).end(asset.body());
        }
    }

    private static String uplotVersion() {
        Properties pom = new Properties();
        try (InputStream in = open(UPLOT_POM)) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static Asset asset(String resource, String contentType) {
        try (InputStream in = open(resource)) {
            byte[] bytes = in.readAllBytes();
            String etag = '"' + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8) + '"';
            return new Asset(Buffer.buffer(bytes), contentType, etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("Dashboard file " + resource + " is not on the classpath");
        }
        return in;
    }
}
