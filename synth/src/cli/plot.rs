//! The cactus plot of a suite run (`synth suite --plot FILE.svg`): for each solver, its answered
//! problems sorted by time, problem count on the x axis and time per problem (log scale) on the
//! y axis; a line further right answers more, a lower line answers faster.
//!
//! Written with `plotters`' SVG backend only (no fonts or bitmaps are needed: text is SVG
//! `<text>`). Only answered problems (solved or proved infeasible) are drawn.

use std::path::Path;

use plotters::prelude::*;

/// One solver's line: its name and the times in seconds of the problems it answered.
#[derive(Debug, Clone)]
pub struct Series {
    /// Shown in the legend.
    pub name: String,
    /// Seconds per answered problem, in any order.
    pub seconds: Vec<f64>,
}

/// Shortest time drawn (the log axis starts here): 1 ms.
const FLOOR: f64 = 1e-3;

/// Writes the cactus plot of `series` to `path` as SVG; `title` is its caption.
pub fn cactus_svg(path: &Path, title: &str, series: &[Series]) -> Result<(), String> {
    let most = series.iter().map(|s| s.seconds.len()).max().unwrap_or(0).max(1);
    let slowest = series.iter().flat_map(|s| s.seconds.iter().copied()).fold(1.0, f64::max);
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::new(path, (800, 520)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..most as f64 + 0.5, (FLOOR..slowest * 1.5).log_scale())?;
        chart.configure_mesh().x_desc("problems answered").y_desc("time per problem (s)").draw()?;
        let palette = [RGBColor(31, 119, 180), RGBColor(214, 39, 40), RGBColor(44, 160, 44), RGBColor(148, 103, 189)];
        for (k, s) in series.iter().enumerate() {
            let color = palette[k % palette.len()];
            let mut times = s.seconds.clone();
            times.sort_by(f64::total_cmp);
            let points: Vec<(f64, f64)> =
                times.iter().enumerate().map(|(i, &t)| ((i + 1) as f64, t.max(FLOOR))).collect();
            let label = format!("{} ({} answered)", s.name, times.len());
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(2)));
            chart.draw_series(points.into_iter().map(|p| Circle::new(p, 2, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| format!("cannot write the plot {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_an_svg_with_one_line_per_solver() {
        let dir = std::env::temp_dir().join(format!("synth-plot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("cactus.svg");
        let series = [
            Series { name: "synth".into(), seconds: vec![0.01, 0.2, 3.0] },
            Series { name: "cvc5".into(), seconds: vec![0.5, 0.0] },
        ];
        cactus_svg(&path, "test", &series).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("synth (3 answered)") && svg.contains("cvc5 (2 answered)"));
        // Each series is a polyline in its own colour (plus its legend mark).
        for colour in ["#1F77B4", "#D62728"] {
            let lines = svg.lines().filter(|l| l.starts_with("<polyline") && l.contains(colour)).count();
            assert_eq!(lines, 2, "{colour}: {svg}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unwritable_path_is_an_error() {
        let err = cactus_svg(Path::new("/nonexistent-dir/x/cactus.svg"), "t", &[]).unwrap_err();
        assert!(err.contains("cannot write the plot"), "{err}");
    }
}
