package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.carnet.identity.InsiAnswer.Code;
import org.carnet.identity.InsiAnswer.InsiIdentity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceRegistryInsiTests {

    private static final String TEST_OID = Ins.Kind.NIR_TEST.oid;

    // Cousins: same birth name, sex, birth date and first first name; the second first name tells them apart.
    private static final String MARIE_ANNE = matricule("2840375114001");
    private static final String MARIE_LOUISE = matricule("2840369123002");
    // Namesakes: everything equal but the birthplace (Rennes, Ajaccio).
    private static final String JEAN_PIERRE_RENNES = matricule("1900735238011");
    private static final String JEAN_PIERRE_AJACCIO = matricule("190072A004012");
    private static final String HELENE = matricule("2621159350021");
    // Born abroad (99341, Sénégal), day of birth unknown.
    private static final String MARIE_CLAUDE = matricule("2580299341031");
    // A mother and her twins, who are on her carte Vitale.
    private static final String SOPHIE = matricule("2850633063041");
    private static final String LUCAS = matricule("1150933063042");
    private static final String LEO = matricule("1150933063043");

    @TempDir
    Path temp;

    private ReferenceRegistryInsi registry;

    @BeforeEach
    void loadTheRegistry() throws IOException {
        registry = ReferenceRegistryInsi.load(file(
                "registry.csv",
                IdentityRegistryFile.HEADER,
                "# cousins",
                line(MARIE_ANNE, "DUPONT", "MARIE ANNE", "F", "1984-03-12", "75114", MARIE_ANNE),
                line(MARIE_LOUISE, "DUPONT", "MARIE LOUISE", "F", "1984-03-12", "69123", MARIE_LOUISE),
                "",
                line(JEAN_PIERRE_RENNES, "MARTIN", "JEAN PIERRE", "M", "1990-07-01", "35238", ""),
                line(JEAN_PIERRE_AJACCIO, "MARTIN", "JEAN PIERRE", "M", "1990-07-01", "2A004", ""),
                line(HELENE, "LEFEVRE", "HELENE MARIE LOUISE", "F", "1962-11-05", "59350", HELENE),
                line(MARIE_CLAUDE, "N'DIAYE", "MARIE-CLAUDE AMINATA", "F", "1958-02-00", "99341", MARIE_CLAUDE),
                line(SOPHIE, "ROUSSEAU", "SOPHIE", "F", "1985-06-20", "33063", SOPHIE),
                line(LUCAS, "BERNARD", "LUCAS PAUL", "M", "2015-09-03", "33063", SOPHIE),
                line(LEO, "BERNARD", "LEO", "M", "2015-09-03", "33063", SOPHIE)));
    }

    @Test
    void findsTheOnePersonWithTheseTraitsAndGivesTheRegisteredIdentity() {
        InsiAnswer answer = registry.retrieveByTraits(traits("LEFEVRE", List.of("HELENE"), "F", "1962-11-05"));

        assertThat(answer.code()).isEqualTo(Code.ONE);
        assertThat(answer.code().value).isEqualTo("00");
        InsiIdentity identity = answer.identity().orElseThrow();
        assertThat(identity.ins()).isEqualTo(Ins.parse(HELENE, Ins.Kind.NIR_TEST));
        assertThat(identity.birthName()).isEqualTo("LEFEVRE");
        assertThat(identity.firstNames()).containsExactly("HELENE", "MARIE", "LOUISE");
        assertThat(identity.sex()).isEqualTo("F");
        assertThat(identity.birthDate()).isEqualTo("1962-11-05");
        assertThat(identity.birthPlace()).isEqualTo("59350");
        assertThat(registry.size()).isEqualTo(9);
        assertThat(registry.rejected()).isEmpty();
    }

    @Test
    void answersNoneWhenNoIdentityHasTheseTraits() {
        assertThat(registry.retrieveByTraits(traits("LEFEVRE", List.of("HELENE"), "F", "1962-11-06"))
                        .code())
                .isEqualTo(Code.NONE);
        assertThat(registry.retrieveByTraits(traits("LEFEVRE", List.of("HELENE"), "M", "1962-11-05"))
                        .code())
                .isEqualTo(Code.NONE);
        assertThat(registry.retrieveByTraits(traits("LEFEBVRE", List.of("HELENE"), "F", "1962-11-05"))
                        .code())
                .isEqualTo(Code.NONE);
        assertThat(registry.retrieveByTraits(traits("LEFEVRE", List.of("HELENE"), "F", "1962-11-05")
                                .withBirthPlace("75114"))
                        .code())
                .isEqualTo(Code.NONE);
    }

    @Test
    void answersSeveralForCousinsUntilTheFullFirstNameListTellsThemApart() {
        InsiTraits traits = traits("DUPONT", List.of("MARIE"), "F", "1984-03-12");

        assertThat(registry.retrieveByTraits(traits).code()).isEqualTo(Code.SEVERAL);
        assertThat(registry.retrieveByTraits(traits).identity()).isEmpty();

        InsiAnswer refined = registry.retrieveByTraits(traits.withFirstNames(List.of("MARIE", "LOUISE")));
        assertThat(refined.code()).isEqualTo(Code.ONE);
        assertThat(refined.identity().orElseThrow().ins().matricule()).isEqualTo(MARIE_LOUISE);
    }

    @Test
    void answersSeveralForNamesakesUntilTheBirthplaceTellsThemApart() {
        InsiTraits traits = traits("MARTIN", List.of("JEAN"), "M", "1990-07-01");

        assertThat(registry.retrieveByTraits(traits).code()).isEqualTo(Code.SEVERAL);
        assertThat(registry.retrieveByTraits(traits.withFirstNames(List.of("JEAN", "PIERRE")))
                        .code())
                .isEqualTo(Code.SEVERAL);

        InsiAnswer refined = registry.retrieveByTraits(
                traits.withFirstNames(List.of("JEAN", "PIERRE")).withBirthPlace("2a004"));
        assertThat(refined.code()).isEqualTo(Code.ONE);
        assertThat(refined.identity().orElseThrow().ins().matricule()).isEqualTo(JEAN_PIERRE_AJACCIO);
    }

    @Test
    void comparesNamesWithoutAccentsCaseApostrophesOrExtraSpaces() {
        assertThat(registry.retrieveByTraits(traits("Lefèvre", List.of("Hélène", "marie"), "F", "1962-11-05"))
                        .code())
                .isEqualTo(Code.ONE);
        assertThat(registry.retrieveByTraits(traits(" n’diaye ", List.of("Marie Claude"), "F", "1958-02-00"))
                        .code())
                .isEqualTo(Code.ONE);
        assertThat(registry.retrieveByTraits(traits("N DIAYE", List.of("MARIE-CLAUDE", "AMINATA"), "F", "1958-02-00"))
                        .code())
                .isEqualTo(Code.ONE);
    }

    @Test
    void queryFirstNamesMustBeThePrefixOfTheRegisteredList() {
        assertThat(registry.retrieveByTraits(traits("LEFEVRE", List.of("HELENE", "MARIE", "LOUISE"), "F", "1962-11-05"))
                        .code())
                .isEqualTo(Code.ONE);
        assertThat(registry.retrieveByTraits(traits("LEFEVRE", List.of("HELENE", "LOUISE"), "F", "1962-11-05"))
                        .code())
                .isEqualTo(Code.NONE);
        assertThat(registry.retrieveByTraits(traits("LEFEVRE", List.of("MARIE"), "F", "1962-11-05"))
                        .code())
                .isEqualTo(Code.NONE);
        assertThat(registry.retrieveByTraits(
                                traits("LEFEVRE", List.of("HELENE", "MARIE", "LOUISE", "ROSE"), "F", "1962-11-05"))
                        .code())
                .isEqualTo(Code.NONE);
        // A compound first name is one name: MARIE is not the start of MARIE-CLAUDE.
        assertThat(registry.retrieveByTraits(traits("N'DIAYE", List.of("MARIE"), "F", "1958-02-00"))
                        .code())
                .isEqualTo(Code.NONE);
    }

    @Test
    void findsAChildOnAParentsCard() {
        String card = SOPHIE.substring(0, 1) + " " + SOPHIE.substring(1, 3) + " " + SOPHIE.substring(3);
        InsiTraits lucas = traits("Bernard", List.of("Lucas"), "M", "2015-09-03");

        InsiAnswer answer = registry.retrieveByCard(card, lucas);

        assertThat(answer.code()).isEqualTo(Code.ONE);
        assertThat(answer.identity().orElseThrow().ins().matricule()).isEqualTo(LUCAS);
        assertThat(registry.retrieveByCard(SOPHIE, traits("BERNARD", List.of("LEO"), "M", "2015-09-03"))
                        .identity()
                        .orElseThrow()
                        .ins()
                        .matricule())
                .isEqualTo(LEO);
        assertThat(registry.retrieveByCard(SOPHIE, traits("ROUSSEAU", List.of("SOPHIE"), "F", "1985-06-20"))
                        .code())
                .isEqualTo(Code.ONE);
        assertThat(registry.retrieveByCard(HELENE, lucas).code()).isEqualTo(Code.NONE);
        assertThat(registry.retrieveByCard(SOPHIE, traits("BERNARD", List.of("LUCAS"), "M", "2015-09-04"))
                        .code())
                .isEqualTo(Code.NONE);
        // The twins share birth name, sex and birth date: their first names tell them apart, card or no card.
        assertThat(registry.retrieveByTraits(lucas).code()).isEqualTo(Code.ONE);
    }

    @Test
    void verifiesAMatriculeAgainstItsTraits() {
        Ins ins = Ins.parse(MARIE_ANNE, Ins.Kind.NIR_TEST);
        InsiTraits traits = traits("DUPONT", List.of("MARIE", "ANNE"), "F", "1984-03-12");

        assertThat(registry.verify(ins, traits).code()).isEqualTo(Code.ONE);
        assertThat(registry.verify(ins, traits.withFirstNames(List.of("MARIE"))).code())
                .isEqualTo(Code.ONE);
        assertThat(registry.verify(ins, traits.withBirthPlace("75114")).code()).isEqualTo(Code.ONE);
    }

    @Test
    void refusesAVerificationWhoseTraitsOrRegisterDiffer() {
        Ins ins = Ins.parse(MARIE_ANNE, Ins.Kind.NIR_TEST);
        InsiTraits traits = traits("DUPONT", List.of("MARIE", "ANNE"), "F", "1984-03-12");

        assertThat(registry.verify(ins, traits("DUPONT", List.of("MARIE", "ANNE"), "F", "1984-03-13"))
                        .code())
                .isEqualTo(Code.NONE);
        assertThat(registry.verify(ins, traits.withFirstNames(List.of("MARIE", "LOUISE")))
                        .code())
                .isEqualTo(Code.NONE);
        assertThat(registry.verify(ins, traits.withBirthPlace("69123")).code()).isEqualTo(Code.NONE);
        assertThat(registry.verify(Ins.parse(MARIE_ANNE, Ins.Kind.NIR), traits).code())
                .isEqualTo(Code.NONE);
        assertThat(registry.verify(Ins.parse(MARIE_LOUISE, Ins.Kind.NIR_TEST), traits)
                        .identity())
                .isEmpty();
    }

    @Test
    void reportsMalformedLinesWithTheirNumberAndLoadsTheGoodOnes() throws IOException {
        String wrongKey = MARIE_ANNE.substring(0, 13) + (MARIE_ANNE.endsWith("01") ? "02" : "01");
        String badShape = "2840375X14001" + "00";
        ReferenceRegistryInsi loaded = ReferenceRegistryInsi.load(file(
                "malformed.csv",
                IdentityRegistryFile.HEADER,
                line(HELENE, "LEFEVRE", "HELENE", "F", "1962-11-05", "59350", ""),
                line(wrongKey, "DUPONT", "MARIE ANNE", "F", "1984-03-12", "75114", ""),
                line(MARIE_LOUISE, "DUPONT", "MARIE LOUISE", "X", "1984-03-12", "69123", ""),
                MARIE_CLAUDE + ";" + TEST_OID + ";N'DIAYE;MARIE-CLAUDE;F",
                "# a comment is not an identity",
                line(SOPHIE, "ROUSSEAU", "SOPHIE", "F", "1985-06-31", "33063", ""),
                line(badShape, "DUPONT", "MARIE", "F", "1984-03-12", "75114", ""),
                line(LUCAS, "BERNARD", "LUCAS", "M", "2015-09-03", "33063", SOPHIE),
                line(HELENE, "LEFEVRE", "HELENE", "F", "1962-11-05", "59350", "")));

        assertThat(loaded.rejected())
                .extracting(ReferenceRegistryInsi.Rejected::line)
                .containsExactly(3, 4, 5, 7, 8, 10);
        assertThat(loaded.rejected().get(0).toString())
                .startsWith("line 3: the key of the matricule INS is wrong: " + wrongKey.substring(13) + " given, "
                        + MARIE_ANNE.substring(13) + " expected");
        assertThat(loaded.rejected().get(1).reason()).isEqualTo("the sex is neither M nor F");
        assertThat(loaded.rejected().get(2).reason())
                .startsWith("expected 8 fields separated by ';'")
                .endsWith("found 5");
        assertThat(loaded.rejected().get(3).reason()).contains("birth date is not a day of the calendar");
        assertThat(loaded.rejected().get(4).reason())
                .contains("does not have that shape")
                .doesNotContain(badShape);
        assertThat(loaded.rejected().get(5).reason())
                .isEqualTo("the matricule INS, under the same OID, already appears on line 2");
        assertThat(loaded.size()).isEqualTo(2);
        assertThat(loaded.retrieveByTraits(traits("LEFEVRE", List.of("HELENE"), "F", "1962-11-05"))
                        .code())
                .isEqualTo(Code.ONE);
        assertThat(loaded.retrieveByCard(SOPHIE, traits("BERNARD", List.of("LUCAS"), "M", "2015-09-03"))
                        .code())
                .isEqualTo(Code.ONE);
    }

    @Test
    void reportsAMissingHeaderAndStillReadsTheIdentities() throws IOException {
        ReferenceRegistryInsi loaded = ReferenceRegistryInsi.load(file(
                "headless.csv",
                "# registry without its header",
                line(HELENE, "LEFEVRE", "HELENE", "F", "1962-11-05", "59350", ""),
                line(SOPHIE, "ROUSSEAU", "SOPHIE", "F", "1985-06-20", "33063", "")));

        assertThat(loaded.rejected())
                .extracting(Object::toString)
                .containsExactly("line 2: expected the header line " + IdentityRegistryFile.HEADER);
        assertThat(loaded.size()).isEqualTo(1);
    }

    @Test
    void aRegistryBuiltFromAListCoversEachPersonWithTheirOwnCard() {
        InsiIdentity helene = new InsiIdentity(
                Ins.parse(HELENE, Ins.Kind.NIR_TEST), "Lefèvre", List.of("Hélène"), "F", "1962-11-05", "59350");
        ReferenceRegistryInsi small = ReferenceRegistryInsi.of(List.of(helene));
        InsiTraits traits = traits("LEFEVRE", List.of("HELENE"), "F", "1962-11-05");

        assertThat(small.retrieveByTraits(traits).identity()).contains(helene);
        assertThat(small.retrieveByCard(HELENE, traits).identity()).contains(helene);
        assertThat(small.verify(helene.ins(), traits).code()).isEqualTo(Code.ONE);
        assertThatThrownBy(() -> ReferenceRegistryInsi.of(List.of(helene, helene)))
                .hasMessageContaining("repeats identity 0");
        assertThatThrownBy(() -> ReferenceRegistryInsi.of(List.of(
                        new InsiIdentity(helene.ins(), "LEFEVRE", List.of("HELENE"), "X", "1962-11-05", "59350"))))
                .hasMessageContaining("sex");
    }

    private Path file(String name, String... lines) throws IOException {
        return Files.writeString(temp.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static String line(
            String matricule,
            String birthName,
            String firstNames,
            String sex,
            String birthDate,
            String birthPlace,
            String cardNir) {
        return String.join(";", matricule, TEST_OID, birthName, firstNames, sex, birthDate, birthPlace, cardNir);
    }

    private static InsiTraits traits(String birthName, List<String> firstNames, String sex, String birthDate) {
        return new InsiTraits(birthName, firstNames, sex, birthDate, null);
    }

    private static String matricule(String body) {
        return body + Ins.key(body);
    }
}
