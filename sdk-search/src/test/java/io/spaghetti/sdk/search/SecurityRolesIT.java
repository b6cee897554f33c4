package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.search.internal.SecurityRoles;
import org.junit.jupiter.api.Test;

/** The local distribution has a file realm only: the SDK must say that roles come from roles.yml. */
class SecurityRolesIT {

    @Test
    void bundledRolesAreLeastPrivilegeAndTheFileRealmOnlyClusterIsReportedAsSuch() {
        var roles = SecurityRoles.bundled();
        assertThat(roles).containsOnlyKeys("spaghetti_writer", "spaghetti_reader");
        assertThat(roles.get("spaghetti_reader").path("indices").get(0).path("privileges").toString())
                .doesNotContain("write", "manage");
        assertThat(roles.get("spaghetti_writer").path("cluster").toString()).doesNotContain("\"all\"", "manage_security");

        SecurityRoles.Outcome outcome = SecurityRoles.install(SearchStack.admin());
        assertThat(outcome.fileRealmOnly()).isTrue();
        assertThat(outcome.reason()).contains("roles come from roles.yml");
    }
}
