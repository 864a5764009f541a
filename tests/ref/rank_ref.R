# rank_ref.R: reference values for tests/test_rank.c, computed by R's
# wilcox.test (two-sided, correct = TRUE, exact chosen by R) and binom.test.
#
# Prints C source: one array per data set (%.17g, which reads back to the
# same double; checked here) and one row per case with R's statistic, its
# p-value and whether R used the exact distribution.  The C test includes
# the output file rank_ref.out as it is.
#
#   cd tests/ref && Rscript rank_ref.R > rank_ref.out

num <- function(v) {
  if (is.na(v)) "NAN" else sprintf("%.17g", v)
}

carray <- function(name, x) {
  s <- sprintf("%.17g", x)
  stopifnot(identical(as.numeric(s), as.numeric(x)))
  lines <- vapply(split(s, ceiling(seq_along(s) / 6)),
                  function(l) paste0("    ", paste(l, collapse = ", "), ","),
                  character(1))
  cat(sprintf("static const double %s[] = {\n", name))
  cat(lines, sep = "\n")
  cat("\n};\n")
}

# R's wilcox.test warns when it cannot be exact (ties, zeroes); the warning
# is expected here and kept out of the output.
quiet <- function(expr) suppressWarnings(expr)

mwu <- list(
  # ?wilcox.test, "permeability constants of the human chorioamnion"
  chorio     = list(x = c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46),
                    y = c(1.15, 0.88, 0.90, 0.74, 1.21)),
  one_each   = list(x = 1, y = 2),
  one_x      = list(x = 5.5, y = c(1, 2, 3, 4, 6, 7, 8, 9, 10)),
  one_y      = list(x = c(3.25, 1.5, 8, 2.75, 9.5, 4), y = 10),
  centre     = list(x = c(1, 4), y = c(2, 3)),
  n49_exact  = local({ set.seed(11); list(x = rnorm(49), y = rnorm(49, 0.4)) }),
  n49_far    = list(x = as.numeric(1:49), y = as.numeric(101:149)),
  n49_50     = local({ set.seed(12); list(x = rnorm(49), y = rnorm(50, 0.3)) }),
  n50_normal = local({ set.seed(13); list(x = rnorm(50), y = rnorm(50, 0.5)) }),
  n50_far    = list(x = as.numeric(1:50), y = as.numeric(51:100)),
  ties_small = list(x = c(1, 2, 2, 3, 4), y = c(2, 3, 3, 5, 6, 6)),
  ties_large = local({ set.seed(14)
                       list(x = round(rnorm(120) * 2), y = round(rnorm(80, 0.4) * 2)) }),
  all_ties   = list(x = c(5, 5, 5), y = c(5, 5)),
  identical  = list(x = c(3.1, 4.7, 2.2, 5.9), y = c(3.1, 4.7, 2.2, 5.9)),
  large      = local({ set.seed(15); list(x = rlnorm(500, 0, 0.2), y = rlnorm(700, 0.02, 0.2)) }),
  far_300    = local({ set.seed(16); list(x = runif(300), y = runif(300) + 2) })
)

signrank <- list(
  # ?wilcox.test, Hollander and Wolfe's depression scores x - y
  depression = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30) -
               c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29),
  zeros      = c(0, 1.5, -0.5, 2.25, 0, 3.5, -1.25, 4),
  zeros_one  = c(0, 0, 3),
  ties       = c(1, -1, 2, 2, -3, 4, 5, -2, 6),
  n1_pos     = 2.5,
  n1_neg     = -2.5,
  n49_exact  = local({ set.seed(21); rnorm(49, 0.3) }),
  n49_allpos = as.numeric(1:49),
  n50_normal = local({ set.seed(22); rnorm(50, 0.3) }),
  large_ties = local({ set.seed(23); round(rnorm(300, 0.1), 1) })
)

binom <- list(c(5, 5), c(0, 1), c(1, 0), c(1, 9), c(9, 1), c(0, 10), c(3, 17),
              c(7, 6), c(0, 60), c(20, 80), c(480, 520), c(530, 470),
              c(2000, 2100), c(0, 1000))

cat(sprintf("/* %s, Rscript rank_ref.R */\n", R.version.string))

cat("\n/* Mann-Whitney: wilcox.test(x, y) */\n")
for (name in names(mwu)) {
  carray(sprintf("mwu_%s_x", name), mwu[[name]]$x)
  carray(sprintf("mwu_%s_y", name), mwu[[name]]$y)
}
cat("\n/* name, x, n, y, m, W, p, exact */\n")
cat("static const struct mwu_ref mwu_ref[] = {\n")
for (name in names(mwu)) {
  x <- mwu[[name]]$x
  y <- mwu[[name]]$y
  t <- quiet(wilcox.test(x, y))
  exact <- grepl("exact", t$method, fixed = TRUE)
  cat(sprintf("{ \"%s\", mwu_%s_x, %d, mwu_%s_y, %d, %s, %s, %d },\n", name, name,
              length(x), name, length(y), num(t$statistic), num(t$p.value), exact))
}
cat("};\n")

cat("\n/* signed-rank: wilcox.test(d) */\n")
for (name in names(signrank))
  carray(sprintf("sr_%s", name), signrank[[name]])
cat("\n/* name, d, n, V, p, exact, nonzero n */\n")
cat("static const struct sr_ref sr_ref[] = {\n")
for (name in names(signrank)) {
  d <- signrank[[name]]
  t <- quiet(wilcox.test(d))
  exact <- grepl("exact", t$method, fixed = TRUE)
  cat(sprintf("{ \"%s\", sr_%s, %d, %s, %s, %d, %d },\n", name, name, length(d),
              num(t$statistic), num(t$p.value), exact, sum(d != 0)))
}
cat("};\n")

cat("\n/* sign test: binom.test(pos, pos + neg)$p.value */\n")
cat("static const struct sign_ref sign_ref[] = {\n")
for (b in binom) {
  t <- binom.test(b[1], b[1] + b[2])
  cat(sprintf("{ %d, %d, %s },\n", b[1], b[2], num(t$p.value)))
}
cat("};\n")

cat("\n/* binomial(n, 1/2) cdf: pbinom(k, n, 0.5) */\n")
cat("static const struct cdf_ref cdf_ref[] = {\n")
for (kn in list(c(0, 1), c(0, 6), c(2, 10), c(5, 10), c(7, 10), c(9, 10), c(10, 10),
                c(40, 100), c(60, 100), c(450, 1000), c(2400, 5000), c(3000, 5000))) {
  cat(sprintf("{ %d, %d, %s },\n", kn[1], kn[2], num(pbinom(kn[1], kn[2], 0.5))))
}
cat("};\n")
