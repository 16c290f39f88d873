package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InsTests {

    @Test
    void acceptsThePublicCheckVectors() {
        assertThat(Ins.key("2550814168025")).isEqualTo("38");
        assertThat(Ins.key("2940375120005")).isEqualTo("91");
        assertThat(Ins.key("1531245007231")).isEqualTo("60");
        assertThat(Ins.parse("255081416802538", Ins.Kind.NIR).matricule()).isEqualTo("255081416802538");
    }

    @Test
    void keyOfCorsicanNirUsesNineteenAndEighteen() {
        assertThat(Ins.key("284052A321025")).isEqualTo("52");
        assertThat(Ins.parse("284052a32102552", Ins.Kind.NIR).matricule()).isEqualTo("284052A32102552");
        String body = "184052B123456";
        assertThat(Ins.parse(body + Ins.key(body), Ins.Kind.NIR).matricule()).contains("2B");
    }

    @Test
    void ignoresSpacesAndCase() {
        assertThat(Ins.parse(" 2 55 08 14 168 025 38 ", Ins.Kind.NIR_TEST).matricule())
                .isEqualTo("255081416802538");
    }

    @Test
    void namesTheWrongPart() {
        assertThatThrownBy(() -> Ins.parse("25508141680253", Ins.Kind.NIR)).hasMessageContaining("15 characters");
        assertThatThrownBy(() -> Ins.parse("355081416802538", Ins.Kind.NIR)).hasMessageContaining("sex digit");
        assertThatThrownBy(() -> Ins.parse("2550814X6802538", Ins.Kind.NIR)).hasMessageContaining("shape");
        assertThatThrownBy(() -> Ins.parse("255081416802539", Ins.Kind.NIR))
                .isInstanceOf(InvalidInsException.class)
                .hasMessageContaining("39 given, 38 expected");
        assertThatThrownBy(() -> Ins.parse(null, Ins.Kind.NIR)).hasMessageContaining("empty");
    }

    @Test
    void monthOutsideTheCalendarIsWarnedNotRejected() {
        String body = "2553114168025";
        Ins ins = Ins.parse(body + Ins.key(body), Ins.Kind.NIR);

        assertThat(ins.hasUnusualMonth()).isTrue();
        assertThat(Ins.parse("255081416802538", Ins.Kind.NIR).hasUnusualMonth()).isFalse();
    }

    @Test
    void knowsTheRegistersByOid() {
        assertThat(Ins.Kind.ofOid("urn:oid:1.2.250.1.213.1.4.8")).contains(Ins.Kind.NIR);
        assertThat(Ins.Kind.ofOid("1.2.250.1.213.1.4.9")).contains(Ins.Kind.NIA);
        assertThat(Ins.Kind.ofOid("urn:oid:1.2.250.1.213.1.4.10")).contains(Ins.Kind.NIR_TEST);
        assertThat(Ins.Kind.ofOid("urn:oid:1.2.250.1.213.1.4.11")).contains(Ins.Kind.NIR_DEMO);
        assertThat(Ins.Kind.ofOid("urn:oid:1.2.3")).isEmpty();
    }
}
