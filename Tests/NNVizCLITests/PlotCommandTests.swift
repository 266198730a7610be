import Foundation
import Testing

/// `nnviz plot` end to end: warnings printed once, and the gradient heatmap from a monitor's CSV.
extension CommandLineTests {
    @Test func eachWarningIsPrintedOnce() throws {
        let dir = try scratch()
        let csv = try write("step,loss\n1,0.5\n2,0\n3,-1\n4,0.25\n", "dips.csv", in: dir)
        let result = try nnviz("plot", csv, "--log-y", "-o", dir.appendingPathComponent("dips.png").path)
        #expect(result.status == 0)
        let warnings = result.stderr.split(separator: "\n").filter { $0.hasPrefix("nnviz: warning:") }
        #expect(warnings == ["nnviz: warning: 'loss': 2 value(s) ≤ 0 dropped from the log y axis"], "\(result.stderr)")
    }

    @Test func monitorLogsAreDrawnAsAGradientHeatmap() throws {
        let dir = try scratch()
        let csv = try write("""
            step,loss,grad_norm/fc.weight,update_ratio/fc.weight,grad_norm/fc.bias,update_ratio/fc.bias
            1,0.9,0.5,nan,0.25,nan
            2,0.8,0.4,0.01,0,0.02
            3,0.7,0.3,0.02,0.125,0.01
            """, "run.csv", in: dir)
        let png = dir.appendingPathComponent("run.png").path
        let auto = try nnviz("plot", csv, "-o", png)
        #expect(auto.status == 0 && auto.stdout == "wrote \(png)\n", "\(auto.stderr)")
        #expect(auto.stderr.split(separator: "\n").filter { $0.hasPrefix("nnviz: warning:") }
                == ["nnviz: warning: heatmap: 1 value(s) ≤ 0 cannot be shown on the log colour scale; drawn blank"])
        #expect(try nnviz("plot", csv, "--heatmap", "update_ratio", "-o", png).status == 0)
        let curves = try nnviz("plot", csv, "--columns", "loss", "-o", png)
        #expect(curves.status == 0 && !curves.stderr.contains("warning"))
        expectFailure(try nnviz("plot", csv, "--heatmap", "grads"), "--heatmap must be grad_norm or update_ratio")
        let plain = try write("step,loss\n1,0.5\n", "plain.csv", in: dir)
        expectFailure(try nnviz("plot", plain, "--heatmap", "grad_norm", "-o", png), "grad_norm/<parameter>")
    }
}
