package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.CarnetIT;
import org.junit.jupiter.api.Test;

/**
 * A writer cannot make ordinary reads carry hundreds of megabytes: one resource is at most
 * {@code carnet.fhir.max-resource-bytes} (2 MiB; 1.8 MB in the tests, under their request limit), and a page of results at most {@code carnet.fhir.max-page-bytes}
 * (2 MiB in the tests): past it, the page stops and its next link starts where it stopped. Other users keep being
 * answered while large pages are read.
 */
class LargeResourcesIT extends CarnetIT {

    private static final Pattern ID =
            Pattern.compile("\"resource\":\\{\"resourceType\":\"Observation\",\"id\":\"([^\"]+)\"");
    private static final Pattern NEXT = Pattern.compile("\"relation\":\"next\",\"url\":\"([^\"]+)\"");

    @Test
    void aResourceOverTheBoundIsRefusedWith413() throws Exception {
        String patient = created(patient("Large", unique())).getIdElement().getIdPart();
        HttpResponse<String> huge =
                send("POST", "/Observation", "application/fhir+json", observation(patient, 1_850_000));
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(413);
        assertThat(huge.body()).contains("OperationOutcome").contains("stored and served whole");
    }

    @Test
    void aPageOfLargeResourcesIsCutByBytesAndItsLinksReachEveryMatch() throws Exception {
        String patient = created(patient("Large", unique())).getIdElement().getIdPart();
        Set<String> stored = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> created =
                    send("POST", "/Observation", "application/fhir+json", observation(patient, 600_000));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            stored.add(
                    created.body().replaceAll("(?s)^\\{\"resourceType\":\"Observation\",\"id\":\"([^\"]+)\".*", "$1"));
        }

        HttpResponse<String> first = get("/Observation?subject=Patient/" + patient + "&_count=100");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body().length()).as("one page, bounded by bytes").isLessThan(2_097_152 + 700_000);
        List<String> seen = new ArrayList<>(ids(first.body()));
        assertThat(seen).as("fewer than asked").hasSizeBetween(1, 4);
        String next = next(first.body());
        while (next != null) {
            HttpResponse<String> page = get(next.substring(next.indexOf("/fhir") + 5));
            assertThat(page.statusCode()).isEqualTo(200);
            seen.addAll(ids(page.body()));
            next = next(page.body());
        }
        assertThat(seen).as("every match exactly once, through the links").containsExactlyInAnyOrderElementsOf(stored);

        HttpResponse<String> everything = get("/Patient/" + patient + "/$everything?_count=100");
        assertThat(everything.body().length()).isLessThan(2_097_152 + 700_000);
        assertThat(next(everything.body())).isNotNull();

        HttpResponse<String> xml = get("/Observation?subject=Patient/" + patient + "&_count=100&_format=xml");
        assertThat(xml.statusCode())
                .as("HAPI's own pages cannot be cut: a clear answer instead")
                .isEqualTo(413);
        assertThat(xml.body()).contains("ask for at most");
    }

    @Test
    void otherUsersAreAnsweredWhileLargePagesAreRead() throws Exception {
        String big = created(patient("Large", unique())).getIdElement().getIdPart();
        for (int i = 0; i < 6; i++) {
            assertThat(send("POST", "/Observation", "application/fhir+json", observation(big, 1_500_000))
                            .statusCode())
                    .isEqualTo(201);
        }
        String small = created(patient("Small", unique())).getIdElement().getIdPart();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Integer>> heavy = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                heavy.add(pool.submit(() -> get("/Observation?subject=Patient/" + big + "&_count=1000")
                        .statusCode()));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(getAs("dr-moreau", "/Patient/" + small).statusCode()).isIn(200, 404);
                assertThat(get("/Patient/" + small).statusCode()).isEqualTo(200);
            }
            for (Future<Integer> f : heavy) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String observation(String patient, int bytes) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/" + patient
                + "\"},\"code\":{\"text\":\"note\"},\"valueString\":\"" + "x".repeat(bytes) + "\"}";
    }

    private static List<String> ids(String bundle) {
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(bundle);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static String next(String bundle) {
        Matcher m = NEXT.matcher(bundle);
        return m.find() ? m.group(1) : null;
    }
}
