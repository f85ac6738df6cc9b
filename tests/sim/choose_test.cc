// choose_variant(): the cheapest variant meeting every constraint, margins,
// and the nearest miss when none does — on constructed figures whose answer
// is clear.
#include "sim/choose.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cairn::sim {
namespace {

Estimate point(double v) { return {v, v, v}; }

VariantFigures variant(const std::string& id, double cost, double p_loss, double fill, double heal_h) {
  return {id, id, point(cost), Estimate{p_loss, p_loss * 0.5, p_loss * 1.5}, point(fill), point(heal_h)};
}

// Four variants: A is cheapest but loses data too often; B fills too high;
// C meets everything; D meets everything but costs more. C is the answer.
std::vector<VariantFigures> four() {
  return {variant("A", 1.0e6, 1e-1, 0.70, 500), variant("B", 1.1e6, 1e-4, 0.95, 500),
          variant("C", 1.2e6, 1e-4, 0.70, 500), variant("D", 1.5e6, 1e-6, 0.60, 300)};
}

TEST(Choose, CheapestFeasibleWithMargins) {
  Constraints c;
  c.min_nines = 3;
  c.max_fill = 0.85;
  c.max_heal_h = 1000;
  c.budget = 2e6;
  const Choice choice = choose_variant(four(), c, "USD", 15);
  ASSERT_TRUE(choice.recommended.has_value());
  EXPECT_EQ(*choice.recommended, 2u);
  EXPECT_FALSE(choice.nearest_miss.has_value());
  const VariantVerdict& chosen = choice.variants[2];
  ASSERT_EQ(chosen.checks.size(), 4u);
  EXPECT_NEAR(chosen.checks[0].value, 4.0, 1e-12);
  EXPECT_NEAR(chosen.checks[0].margin, 1.0, 1e-12);
  EXPECT_NEAR(chosen.checks[1].margin, 0.15, 1e-12);
  EXPECT_NEAR(chosen.checks[2].margin, 500, 1e-9);
  EXPECT_NEAR(chosen.checks[3].margin, 0.8e6, 1e-6);
  EXPECT_FALSE(choice.variants[0].feasible);
  EXPECT_NE(choice.variants[0].verdict.find("durability 1.00 nines over 15 years < 3.00 (short by 2.00)"),
            std::string::npos)
      << choice.variants[0].verdict;
  EXPECT_NE(choice.variants[1].verdict.find("peak fill 95.0 % > 85.0 %"), std::string::npos) << choice.variants[1].verdict;
  EXPECT_EQ(choice.variants[3].verdict, "meets every constraint, USD 300,000 dearer than C");
  EXPECT_NE(choice.verdict.find("Choose C"), std::string::npos) << choice.verdict;
  EXPECT_NE(choice.verdict.find("USD 1,200,000"), std::string::npos) << choice.verdict;
}

TEST(Choose, NoneFeasibleNamesNearestMiss) {
  Constraints c;
  c.min_nines = 3;
  c.budget = 1.05e6;  // only A fits the budget, and A fails durability by 2 of 3 nines
  const Choice choice = choose_variant(four(), c, "USD", 15);
  EXPECT_FALSE(choice.recommended.has_value());
  ASSERT_TRUE(choice.nearest_miss.has_value());
  // Shortfalls: A 2/3 = 0.67; B 0.05/1.05 = 0.048; C 0.14; D 0.43. B is nearest.
  EXPECT_EQ(*choice.nearest_miss, 1u);
  EXPECT_NE(choice.verdict.find("None of the 4 variants meets every constraint; the nearest miss is B"),
            std::string::npos)
      << choice.verdict;
  EXPECT_NE(choice.variants[1].verdict.find("nearest miss"), std::string::npos);
}

TEST(Choose, NoConstraintPicksCheapest) {
  const Choice choice = choose_variant(four(), Constraints{}, "EUR", 10);
  ASSERT_TRUE(choice.recommended.has_value());
  EXPECT_EQ(*choice.recommended, 0u);
}

TEST(Choose, UnboundedNinesMeetAnyBoundAndMissingDurabilityFails) {
  std::vector<VariantFigures> v = {variant("zero", 2e6, 0.0, 0.5, 10), variant("none", 1e6, 0.0, 0.5, 10)};
  v[1].p_group_loss.reset();
  Constraints c;
  c.min_nines = 9;
  const Choice choice = choose_variant(v, c, "USD", 15);
  ASSERT_TRUE(choice.recommended.has_value());
  EXPECT_EQ(*choice.recommended, 0u);
  EXPECT_TRUE(std::isinf(choice.variants[0].checks[0].value));
  EXPECT_FALSE(choice.variants[0].checks[0].certain);  // zero in a few runs bounds nothing
  EXPECT_FALSE(choice.variants[1].feasible);
  EXPECT_NE(choice.variants[1].verdict.find("not estimated"), std::string::npos);
}

TEST(Choose, CertainOnlyWhenTheIntervalClearsTheBound) {
  std::vector<VariantFigures> v = {variant("x", 1e6, 1e-3, 0.80, 100)};
  v[0].peak_fill = {0.80, 0.70, 0.90};
  Constraints c;
  c.max_fill = 0.85;
  c.min_nines = 2;  // p 1e-3 in [5e-4, 1.5e-3]: 2.82 to 3.30 nines, all above 2
  const Choice choice = choose_variant(v, c, "USD", 15);
  EXPECT_TRUE(choice.variants[0].checks[0].certain);
  EXPECT_TRUE(choice.variants[0].checks[1].met);
  EXPECT_FALSE(choice.variants[0].checks[1].certain);
}

TEST(Choose, ConstraintsInWords) {
  Constraints c;
  EXPECT_TRUE(constraint_texts(c, "USD", 15).empty());
  c.min_nines = 2, c.max_fill = 0.85, c.max_heal_h = 72, c.budget = 1234567;
  const std::vector<ConstraintText> texts = constraint_texts(c, "EUR", 15);
  ASSERT_EQ(texts.size(), 4U);
  EXPECT_EQ(texts[0].name, "min_nines");
  EXPECT_EQ(texts[0].text, "durability at least 2.00 nines over 15 years");
  EXPECT_EQ(texts[1].text, "peak fill at most 85.0 %");
  EXPECT_DOUBLE_EQ(texts[1].bound, 0.85);
  EXPECT_EQ(texts[2].text, "longest heal at most 72 h");
  EXPECT_EQ(texts[3].text, "cost over the horizon at most EUR 1,234,567");
}

TEST(Choose, MoneyText) {
  EXPECT_EQ(money_text("USD", 1234567.4), "USD 1,234,567");
  EXPECT_EQ(money_text("EUR", 999), "EUR 999");
  EXPECT_EQ(money_text("EUR", -1000), "EUR -1,000");
}

}  // namespace
}  // namespace cairn::sim
