# stats_ref.R: reference values for tests/test_stats.c, computed by R.
#
# Writes every data set to data_<name>.txt (one value a line, %.17g, which
# reads back to the same double) and prints one C initializer per data set
# with R's mean, sd, median, quantile(type = 7) at .05 .25 .75 .95 .99,
# mad() (constant 1.4826), min, max, cv = sd / mean and the Tukey fence
# counts.  The C test reads the same data files and holds a copy of the
# printed rows.
#
#   cd tests/ref && Rscript stats_ref.R > stats_ref.out

datasets <- list(
  one      = c(42.5),
  two      = c(1, 3),
  three    = c(3, 1, 2),
  even10   = c(12.5, 3.25, 7, 19.75, 1.5, 8.125, 14, 6.5, 10.375, 2.875),
  odd11    = c(-4.2, 3.3, 0.1, 8.8, -1.7, 2.2, 5.5, 9.9, -0.6, 4.4, 7.7),
  ties     = c(5, 5, 5, 1, 5, 9, 5, 5, 2, 5, 5, 8, 5, 5, 3),
  equal    = rep(7, 8),
  # quartiles 10 and 30, iqr 20: -50 and 90 sit on the 3 iqr fences (mild),
  # -20 and 60 on the 1.5 iqr fences (inside)
  fences   = c(25, 90, 10, -20, 15, 60, 30, -50, 20),
  outliers = c(101, 99, 100, 98, 102, 97, 103, 100, 99, 101, 96, 104, 100,
               98, 102, 100, 99, 101, 100, 100, 85, 118, 500, 1000, -200),
  spiky    = local({
    set.seed(7)
    x <- rnorm(501, mean = 2000, sd = 15)
    x[sample(501, 12)] <- rlnorm(12, log(4000), 0.4)
    x
  }),
  lognormal = local({
    set.seed(20240611)
    rlnorm(1000, meanlog = log(1e5), sdlog = 0.25)
  })
)

num <- function(v) {
  if (is.na(v)) "NAN" else sprintf("%.17g", v)
}

cat(sprintf("/* %s, Rscript stats_ref.R */\n", R.version.string))
cat("/* name, n, mean, sd, median, p5, p25, p75, p95, p99, mad, min, max, cv,\n")
cat("   low_severe, low_mild, high_mild, high_severe */\n")
for (name in names(datasets)) {
  x <- datasets[[name]]
  writeLines(sprintf("%.17g", x), sprintf("data_%s.txt", name))
  x <- as.numeric(readLines(sprintf("data_%s.txt", name)))
  stopifnot(identical(x, datasets[[name]]))

  q <- quantile(x, c(0.05, 0.25, 0.75, 0.95, 0.99), type = 7, names = FALSE)
  s <- if (length(x) > 1) sd(x) else NA
  m <- mean(x)
  cv <- if (is.na(s) || m == 0) NA else s / m
  q1 <- q[2]
  q3 <- q[3]
  iqr <- q3 - q1
  low_severe  <- sum(x < q1 - 3 * iqr)
  low_mild    <- sum(x >= q1 - 3 * iqr & x < q1 - 1.5 * iqr)
  high_mild   <- sum(x > q3 + 1.5 * iqr & x <= q3 + 3 * iqr)
  high_severe <- sum(x > q3 + 3 * iqr)

  vals <- c(m, s, median(x), q, mad(x), min(x), max(x), cv)
  cat(sprintf("{ \"%s\", %d, %s, %d, %d, %d, %d },\n", name, length(x),
              paste(vapply(vals, num, ""), collapse = ", "),
              low_severe, low_mild, high_mild, high_severe))
}
