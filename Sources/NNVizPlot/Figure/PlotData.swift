/// A number a chart can place on an axis.
public protocol PlotValue {
    var plotValue: Double { get }
}

extension Double: PlotValue { public var plotValue: Double { self } }
extension Float: PlotValue { public var plotValue: Double { Double(self) } }
extension Int: PlotValue { public var plotValue: Double { Double(self) } }
extension Int32: PlotValue { public var plotValue: Double { Double(self) } }
extension Int64: PlotValue { public var plotValue: Double { Double(self) } }
extension UInt8: PlotValue { public var plotValue: Double { Double(self) } }
extension UInt32: PlotValue { public var plotValue: Double { Double(self) } }

/// A one-dimensional run of numbers that a chart can draw: arrays, slices and integer ranges.
///
/// Conform your own containers with one line, e.g. a tensor:
/// ```swift
/// extension Tensor: PlotData { public func plotValues() -> [Double] { toArray().map(Double.init) } }
/// ```
public protocol PlotData {
    func plotValues() -> [Double]
}

extension Array: PlotData where Element: PlotValue {
    public func plotValues() -> [Double] {
        // Compare the element type, not `self as? [Double]`: in generic code that cast checks every element.
        if Element.self == Double.self { return unsafeBitCast(self, to: [Double].self) }
        return map(\.plotValue)
    }
}

extension ArraySlice: PlotData where Element: PlotValue {
    public func plotValues() -> [Double] { map(\.plotValue) }
}

extension ContiguousArray: PlotData where Element: PlotValue {
    public func plotValues() -> [Double] { map(\.plotValue) }
}

extension Range: PlotData where Bound == Int {
    public func plotValues() -> [Double] { map(Double.init) }
}

extension ClosedRange: PlotData where Bound == Int {
    public func plotValues() -> [Double] { map(Double.init) }
}

extension StrideTo: PlotData where Element: PlotValue {
    public func plotValues() -> [Double] { map(\.plotValue) }
}
