#include "engine/scheme.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(Scheme, ParsesReplicaAndErasure) {
  auto r = Scheme::parse("replica:3");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->is_replica());
  EXPECT_EQ(r->width(), 3u);
  EXPECT_EQ(r->tolerated_losses(), 2u);
  EXPECT_EQ(r->to_string(), "replica:3");
  auto e = Scheme::parse("ec:8+3");
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->is_replica());
  EXPECT_EQ(e->width(), 11u);
  EXPECT_EQ(e->data_members(), 8u);
  EXPECT_DOUBLE_EQ(e->overhead(), 11.0 / 8.0);
  EXPECT_EQ(e->to_string(), "ec:8+3");
}

TEST(Scheme, RejectsMalformedWithReason) {
  for (const char* bad : {"", "raid5", "replica:", "replica:0", "replica:x", "ec:8", "ec:8+",
                          "ec:+3", "ec:0+3", "ec:8+0", "ec:30+3", "ec:8+3x", "replica:33"}) {
    auto s = Scheme::parse(bad);
    EXPECT_FALSE(s) << bad;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.status().message().find("expected replica:N or ec:K+M"), std::string::npos);
  }
}

TEST(Scheme, ParsesDomainsStrategiesClasses) {
  EXPECT_EQ(*parse_failure_domain("rack"), FailureDomain::kRack);
  EXPECT_FALSE(parse_failure_domain("row"));
  EXPECT_EQ(*parse_group_strategy("declustered"), GroupStrategy::kDeclustered);
  EXPECT_FALSE(parse_group_strategy("crush"));
  EXPECT_EQ(*parse_device_class("ssd"), DeviceClass::kSsd);
  EXPECT_FALSE(parse_device_class("nvme"));
}

}  // namespace
}  // namespace cairn
