package org.carnet.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.carnet.CarnetIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request {@code $search} (or {@code _content}) cannot understand is the client's mistake: 400 with an
 * OperationOutcome saying why in French, never a 500 nor a stack trace.
 */
class SearchBadRequestsIT extends CarnetIT {

    private String patient;

    @BeforeEach
    void record() {
        patient = created(patient("Erreurs", unique())).getIdElement().getIdPart();
    }

    @Test
    void badQueryStringsAreFourHundredsSayingWhy() throws Exception {
        String[][] cases = {
            {"q=" + enc("chute type:"), "attend une valeur"},
            {"q=" + enc("type:"), "attend une valeur"},
            {"q=" + enc("chute depuis:2024-02-30"), "date invalide"},
            {"q=" + enc(words(65)), "trop de termes"},
            {"q=" + enc("a".repeat(1001)), "dépasse 1000 caractères"},
            {"q=" + enc("-chute"), "ne peut pas faire qu'exclure"},
            {"q=" + enc("chute OR"), "OR doit relier deux termes"},
            {"q=" + enc("chute OR -fracture"), "OR ne peut pas précéder une exclusion"},
            {"q=" + enc("ch*ute"), "ne s'emploie qu'en fin de mot"},
            {"q=" + enc("\"\""), "expression vide"},
            {"q=" + enc("   "), "est requis"},
            {"liste=" + enc("une liste qui n'existe pas"), "liste de termes inconnue"},
            {"q=chute&q=fracture", "ne peut être donné qu'une fois"},
            {"q=chute&count=abc", "count est un nombre entier"},
            {"q=chute&count=201", "count doit être entre 1 et 200"},
            {"q=chute&depuis=2024-05-01&jusqua=2024-01-01", "la date de fin précède la date de début"},
            {"q=chute&doublons=peut-etre", "doublons vaut"},
            {"q=chute&jusqua=demain", "jusqua est une date"},
        };
        List<String> wrong = new ArrayList<>();
        for (String[] c : cases) {
            HttpResponse<String> answer = getAs("integration", "/Patient/" + patient + "/$search?" + c[0]);
            check(c[0], answer, c[1], wrong);
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aQueryOfAtMostTheLimitsIsAnswered() throws Exception {
        HttpResponse<String> longest =
                getAs("integration", "/Patient/" + patient + "/$search?q=" + enc("x".repeat(1000)));
        assertThat(longest.statusCode()).as(longest.body()).isEqualTo(200);
        HttpResponse<String> most = getAs("integration", "/Patient/" + patient + "/$search?q=" + enc(words(64)));
        assertThat(most.statusCode()).as(most.body()).isEqualTo(200);
        HttpResponse<String> filterOnly =
                getAs("integration", "/Patient/" + patient + "/$search?q=" + enc("depuis:2024"));
        assertThat(filterOnly.statusCode()).as(filterOnly.body()).isEqualTo(200);
    }

    @Test
    void badPostBodiesAreFourHundredsSayingWhy() throws Exception {
        String[][] cases = {
            {"pas du JSON", "Parameters"},
            {"", "Parameters"},
            {"{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Dupont\"}]}", "Parameters"},
            {"[1,2,3]", "Parameters"},
            {
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"q\",\"valueQuantity\":{\"value\":3}}]}",
                "attend une valeur simple"
            },
            {
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"q\",\"part\":[{\"name\":\"x\","
                        + "\"valueString\":\"chute\"}]}]}",
                "attend une valeur simple"
            },
            {"{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"q\"}]}", "attend une valeur simple"},
            {
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"inconnu\",\"valueString\":\"x\"}]}",
                "paramètre inconnu"
            },
            {
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"liste\",\"valueString\":\"aucune\"}]}",
                "liste de termes inconnue"
            },
            {
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"q\",\"valueString\":\"" + words(65)
                        + "\"}]}",
                "trop de termes"
            },
            {
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"q\",\"valueString\":\""
                        + "x".repeat(70_000) + "\"}]}",
                "dépasse"
            },
        };
        List<String> wrong = new ArrayList<>();
        for (String[] c : cases) {
            HttpResponse<String> answer =
                    sendAs("integration", "POST", "/Patient/" + patient + "/$search", "application/fhir+json", c[0]);
            check(c[0].length() > 120 ? c[0].substring(0, 120) : c[0], answer, c[1], wrong);
        }
        assertThat(wrong).isEmpty();
        HttpResponse<String> put = sendAs(
                "integration",
                "PUT",
                "/Patient/" + patient + "/$search",
                "application/fhir+json",
                "{\"resourceType\":\"Parameters\"}");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.body()).contains("accepte GET et POST").doesNotContain("Exception");
    }

    @Test
    void badContentSearchesAreFourHundreds() throws Exception {
        String[] queries = {
            "/DocumentReference?patient=" + patient + "&_content=" + enc("\"ouvert"),
            "/DocumentReference?patient=" + patient + "&_content=" + enc("chute type:"),
            "/DocumentReference?patient=" + patient + "&_content=" + enc(words(65)),
            "/DocumentReference?patient=" + patient + "&_content=" + enc("a".repeat(1001)),
            "/DocumentReference?_content=chute",
            "/Patient?_content=chute",
        };
        List<String> wrong = new ArrayList<>();
        for (String query : queries) {
            HttpResponse<String> answer = getAs("integration", query);
            if (answer.statusCode() != 400
                    || answer.body().contains("Exception")
                    || answer.body().contains("\tat ")) {
                wrong.add(query + " → " + answer.statusCode() + " " + answer.body());
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static void check(String asked, HttpResponse<String> answer, String why, List<String> wrong) {
        String body = answer.body();
        if (answer.statusCode() != 400
                || !body.contains("\"diagnostics\"")
                || !body.contains(why)
                || body.contains("Exception")
                || body.contains("\tat ")) {
            wrong.add(asked + " → " + answer.statusCode() + " " + body);
        }
    }

    /** {@code n} distinct words. */
    private static String words(int n) {
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < n; i++) {
            words.append(i == 0 ? "" : " ")
                    .append("mot")
                    .append((char) ('a' + i / 26))
                    .append((char) ('a' + i % 26));
        }
        return words.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
