package org.grad4j.storage;

/**
 * Element types, with PyTorch's names and promotion order.
 *
 * <pre>{@code
 * Tensor x = Grad4j.tensor(new long[]{1, 2});   // INT64, like torch.tensor([1, 2])
 * x.to(DType.FLOAT64);                         // tensor([1., 2.], dtype=torch.float64)
 * }</pre>
 */
public enum DType {
    BOOL("torch.bool", 1, Category.BOOL),
    UINT8("torch.uint8", 1, Category.INTEGRAL),
    INT8("torch.int8", 1, Category.INTEGRAL),
    INT16("torch.int16", 2, Category.INTEGRAL),
    INT32("torch.int32", 4, Category.INTEGRAL),
    INT64("torch.int64", 8, Category.INTEGRAL),
    FLOAT32("torch.float32", 4, Category.FLOATING),
    FLOAT64("torch.float64", 8, Category.FLOATING);

    /** The three kinds of values that type promotion orders: bool < integral < floating. */
    public enum Category { BOOL, INTEGRAL, FLOATING }

    private final String torchName;
    private final int itemSize;
    private final Category category;

    DType(String torchName, int itemSize, Category category) {
        this.torchName = torchName;
        this.itemSize = itemSize;
        this.category = category;
    }

    /** PyTorch's name, e.g. {@code torch.float32}. */
    public String torchName() { return torchName; }

    /** Bytes per element, like {@code tensor.element_size()}. */
    public int itemSize() { return itemSize; }

    public Category category() { return category; }

    public boolean isFloatingPoint() { return category == Category.FLOATING; }

    public boolean isIntegral() { return category == Category.INTEGRAL; }

    /**
     * PyTorch's {@code torch.promote_types}: the smallest dtype both values fit in.
     * Mixed signed/unsigned 8-bit gives INT16, as in PyTorch.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.category != b.category) {
            DType hi = a.category.ordinal() > b.category.ordinal() ? a : b;
            return hi;
        }
        if (a.category == Category.INTEGRAL && (a == UINT8 || b == UINT8)) {
            DType other = a == UINT8 ? b : a;
            return other == INT8 ? INT16 : other;
        }
        return a.ordinal() > b.ordinal() ? a : b;
    }

    @Override
    public String toString() { return torchName; }
}
