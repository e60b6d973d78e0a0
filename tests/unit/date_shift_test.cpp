#include <gtest/gtest.h>

#include "pseudonym/date_shift.h"

using radveil::pseudonym::shift_da;
using radveil::pseudonym::shift_dt;

TEST(DateShift, ShiftsDatesAcrossMonthsYearsAndLeapDays) {
  EXPECT_EQ(shift_da("20200301", -1), "20200229");
  EXPECT_EQ(shift_da("20210101", -365), "20200102");
  EXPECT_EQ(shift_da("19991231", 1), "20000101");
}

TEST(DateShift, KeepsRangesMultipleValuesAndPadding) {
  EXPECT_EQ(shift_da("20200110-20200120", -10), "20191231-20200110");
  EXPECT_EQ(shift_da("-20200120", -1), "-20200119");
  EXPECT_EQ(shift_da("20200110\\20200111", -1), "20200109\\20200110");
  EXPECT_EQ(shift_da("20200110 ", -1), "20200109");
  EXPECT_EQ(shift_da("", -5), "");
  EXPECT_EQ(shift_da("2020.01.10", -1), "20200109");  // ACR-NEMA form is normalised
}

TEST(DateShift, DateTimesMoveTheDateAndKeepTimeAndOffset) {
  EXPECT_EQ(shift_dt("20200101103000.123+0100", -1), "20191231103000.123+0100");
  EXPECT_EQ(shift_dt("20200101", -1), "20191231");
  EXPECT_EQ(shift_dt("202001", -40), "201911");  // month precision stays month precision
  EXPECT_EQ(shift_dt("20200101120000-20200102120000", -1), "20191231120000-20200101120000");
}

TEST(DateShift, RefusesWhatIsNotADate) {
  EXPECT_FALSE(shift_da("20201345", -1));
  EXPECT_FALSE(shift_da("yesterday", -1));
  EXPECT_FALSE(shift_dt("2020-01-01", -1));
}
