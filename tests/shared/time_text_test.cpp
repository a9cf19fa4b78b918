#include <minga/shared/time_text.hpp>

#include <catch2/catch.hpp>

using namespace minga;

TEST_CASE("time text: UTC in the export form and the form people read") {
    CHECK(iso_utc(1733000000000) == "2024-11-30T20:53:20Z");
    CHECK(minutes_utc(1733000000000) == "2024-11-30 20:53 UTC");
    CHECK(iso_utc(0) == "1970-01-01T00:00:00Z");
    // A device clock a moment before 1970 reads as 1969, not rounded up to the epoch.
    CHECK(iso_utc(-1) == "1969-12-31T23:59:59Z");
    CHECK(utc_format(1733000000999, "%Y") == "2024");
}
