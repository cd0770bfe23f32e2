package org.grad4j.optim;

/** The strong-Wolfe line search and cubic interpolation of PyTorch's LBFGS ({@code _strong_wolfe}). */
final class StrongWolfe {
    private StrongWolfe() {}

    record Eval(double f, double[] g) {}

    record Result(double f, double[] g, double t, int evals) {}

    interface Objective { Eval at(double[] x, double t, double[] d); }

    /** Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds. */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                                   double lo, double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.min(Math.max(minPos, lo), hi);
        }
        return (lo + hi) / 2;
    }

    static Result search(Objective obj, double[] x, double t, double[] d, double f, double[] g, double gtd,
                         double toleranceChange) {
        final double c1 = 1e-4, c2 = 0.9;
        final int maxLs = 25;
        double dNorm = LBFGS.absMax(d);
        Eval e = obj.at(x, t, d);
        double fNew = e.f();
        double[] gNew = e.g();
        int evals = 1;
        double gtdNew = LBFGS.dot(gNew, d);
        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        double[] gPrev = g;
        boolean done = false;
        int lsIter = 0;
        double[] br = null, brF = null, brGtd = null;
        double[][] brG = null;
        while (lsIter < maxLs) {
            boolean armijoFails = fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev);
            if (!armijoFails && Math.abs(gtdNew) <= -c2 * gtd) {
                br = new double[]{t};
                brF = new double[]{fNew};
                brG = new double[][]{gNew};
                done = true;
                break;
            }
            if (armijoFails || gtdNew >= 0) {
                br = new double[]{tPrev, t};
                brF = new double[]{fPrev, fNew};
                brG = new double[][]{gPrev, gNew};
                brGtd = new double[]{gtdPrev, gtdNew};
                break;
            }
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10;
            double tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew;
            gtdPrev = gtdNew;
            e = obj.at(x, t, d);
            fNew = e.f();
            gNew = e.g();
            evals++;
            gtdNew = LBFGS.dot(gNew, d);
            lsIter++;
        }
        if (lsIter == maxLs) {
            br = new double[]{0, t};
            brF = new double[]{f, fNew};
            brG = new double[][]{g, gNew};
            brGtd = new double[]{gtd, gtdNew};
        }
        // zoom phase
        boolean insufProgress = false;
        int low = brF[0] <= brF[brF.length - 1] ? 0 : 1, high = 1 - low;
        while (!done && lsIter < maxLs) {
            if (Math.abs(br[1] - br[0]) * dNorm < toleranceChange) break;
            double bMax = Math.max(br[0], br[1]), bMin = Math.min(br[0], br[1]);
            t = cubicInterpolate(br[0], brF[0], brGtd[0], br[1], brF[1], brGtd[1], bMin, bMax);
            double eps = 0.1 * (bMax - bMin);
            if (Math.min(bMax - t, t - bMin) < eps) {
                if (insufProgress || t >= bMax || t <= bMin) {
                    t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
                    insufProgress = false;
                } else {
                    insufProgress = true;
                }
            } else {
                insufProgress = false;
            }
            e = obj.at(x, t, d);
            fNew = e.f();
            gNew = e.g();
            evals++;
            gtdNew = LBFGS.dot(gNew, d);
            lsIter++;
            if (fNew > f + c1 * t * gtd || fNew >= brF[low]) {
                br[high] = t;
                brF[high] = fNew;
                brG[high] = gNew;
                brGtd[high] = gtdNew;
                low = brF[0] <= brF[1] ? 0 : 1;
                high = 1 - low;
            } else {
                if (Math.abs(gtdNew) <= -c2 * gtd) {
                    done = true;
                } else if (gtdNew * (br[high] - br[low]) >= 0) {
                    br[high] = br[low];
                    brF[high] = brF[low];
                    brG[high] = brG[low];
                    brGtd[high] = brGtd[low];
                }
                br[low] = t;
                brF[low] = fNew;
                brG[low] = gNew;
                brGtd[low] = gtdNew;
            }
        }
        return new Result(brF[low], brG[low], br[low], evals);
    }
}
