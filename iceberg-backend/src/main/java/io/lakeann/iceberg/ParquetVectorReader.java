package io.lakeann.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.parquet.CorruptDeltaByteArrays;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.VersionParser;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.RequiresPreviousReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads the id and vector columns of one Parquet data file page by page with parquet-mr's
 * decoders, decoding {@code list<float>}, {@code list<double>} (each value rounded to float32,
 * as the generic path rounds it) and little-endian float32 {@code binary} vectors straight into a
 * float array, without building records or boxing elements. It gives exactly
 * the rows, order and positions of Iceberg's generic Parquet reader: the row groups of the task's
 * split (parquet-mr's range filter, as Iceberg uses it), positions from each row group's first
 * row index, and rows at deleted positions dropped. Every row is checked by the {@link
 * RowAccumulator}.
 *
 * <p>It recognises the columns by their Iceberg field ids: both must be top-level; the id an
 * {@code int64}, {@code int32} or {@code binary} column as the binding's id kind needs; the vector
 * a three-level {@code LIST} of {@code float} (or {@code double}, as the binding says) or a
 * {@code binary} column. A file it does not
 * recognise (no field ids, a column missing, another shape) is left to the generic reader before
 * any row is read. Stateless.
 */
final class ParquetVectorReader {
  private ParquetVectorReader() {
  }

  /**
   * Reads the live rows of {@code task} into {@code acc}: with {@code decode}, ids and vectors;
   * without, only the positions of rows with an id.
   *
   * @param deleted the positions of {@code task}'s file that row-level deletes removed
   * @return false, having read no row, if the file's columns are not ones this reader knows
   */
  static boolean read(org.apache.iceberg.io.InputFile input, FileScanTask task,
      ColumnBinding binding, boolean decode, PositionDeleteIndex deleted, RowAccumulator acc) {
    String file = task.file().location();
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
        .withRange(task.start(), task.start() + task.length())
        .build();
    try (ParquetFileReader reader = ParquetFileReader.open(new Input(input), options)) {
      MessageType schema = reader.getFileMetaData().getSchema();
      Type idField = topLevel(schema, binding.idFieldId());
      Type vectorField = decode ? topLevel(schema, binding.vectorFieldId()) : null;
      ColumnDescriptor idColumn = idColumn(schema, idField, binding.idKind());
      VectorColumn vectorColumn = decode ? vectorColumn(schema, vectorField, binding) : null;
      if (idColumn == null || (decode && vectorColumn == null)) {
        return false;
      }
      List<ColumnDescriptor> requested = new ArrayList<>(2);
      requested.add(idColumn);
      if (decode) {
        requested.add(vectorColumn.descriptor);
      }
      reader.setRequestedSchema(requested);
      VersionParser.ParsedVersion writer = writerVersion(reader.getFileMetaData().getCreatedBy());
      RowGroupReader rows = new RowGroupReader(file, binding, idColumn, vectorColumn, deleted,
          acc);
      for (PageReadStore pages = reader.readNextRowGroup(); pages != null;
          pages = reader.readNextRowGroup()) {
        rows.read(pages, writer);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + " of " + binding.describe(), e);
    }
  }

  /**
   * The smallest and largest row id of a data file, from its footer alone: the stored row ids'
   * statistics, widened to the ids Iceberg assigns ({@code firstRowId} plus the position) when
   * any row stores none (every row, if the file has no row-id column {@code rowIdFieldId}).
   *
   * @return {min, max}, or null when a row group's statistics do not tell
   */
  static long[] rowIdRange(org.apache.iceberg.io.InputFile input, long firstRowId,
      int rowIdFieldId) {
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
        .build();
    try (ParquetFileReader reader = ParquetFileReader.open(new Input(input), options)) {
      MessageType schema = reader.getFileMetaData().getSchema();
      Type field = topLevel(schema, rowIdFieldId);
      long rows = reader.getRecordCount();
      long assignedMax = firstRowId + Math.max(rows, 1) - 1;
      if (field == null) {
        return new long[] {firstRowId, assignedMax};
      }
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      boolean assigned = false;
      for (org.apache.parquet.hadoop.metadata.BlockMetaData block : reader.getRowGroups()) {
        for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData chunk : block.getColumns()) {
          if (!chunk.getPath().toDotString().equals(field.getName())) {
            continue;
          }
          org.apache.parquet.column.statistics.Statistics<?> stats = chunk.getStatistics();
          if (stats == null || stats.isEmpty() || !stats.isNumNullsSet()) {
            return null;
          }
          assigned |= stats.getNumNulls() > 0;
          if (stats.hasNonNullValue()) {
            min = Math.min(min, ((Number) stats.genericGetMin()).longValue());
            max = Math.max(max, ((Number) stats.genericGetMax()).longValue());
          }
        }
      }
      if (assigned) {
        min = Math.min(min, firstRowId);
        max = Math.max(max, assignedMax);
      }
      return min <= max ? new long[] {min, max} : null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the footer of " + input.location(), e);
    }
  }

  /** The top-level field with Iceberg field id {@code fieldId}, or null. */
  private static Type topLevel(MessageType schema, int fieldId) {
    for (Type field : schema.getFields()) {
      if (field.getId() != null && field.getId().intValue() == fieldId) {
        return field;
      }
    }
    return null;
  }

  /** The id column, if it is a top-level primitive of a type {@code kind} reads, else null. */
  private static ColumnDescriptor idColumn(MessageType schema, Type field,
      ColumnBinding.IdKind kind) {
    if (field == null || !field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
      return null;
    }
    PrimitiveTypeName physical = field.asPrimitiveType().getPrimitiveTypeName();
    boolean readable = switch (kind) {
      // An int column promoted to long still holds int32 in older files.
      case LONG -> physical == PrimitiveTypeName.INT64 || physical == PrimitiveTypeName.INT32;
      case INT -> physical == PrimitiveTypeName.INT32;
      case STRING -> physical == PrimitiveTypeName.BINARY;
    };
    return readable ? schema.getColumnDescription(new String[] {field.getName()}) : null;
  }

  /** The vector column, if it has a shape this reader decodes, else null. */
  private static VectorColumn vectorColumn(MessageType schema, Type field,
      ColumnBinding binding) {
    if (field == null || field.isRepetition(Type.Repetition.REPEATED)) {
      return null;
    }
    if (binding.encoding() == ColumnBinding.VectorEncoding.BINARY_F32) {
      if (!field.isPrimitive()
          || field.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY) {
        return null;
      }
      ColumnDescriptor column = schema.getColumnDescription(new String[] {field.getName()});
      return new VectorColumn(column, false, 0, 0);
    }
    // Iceberg's list: optional|required group (LIST) { repeated group list { element; } }.
    if (field.isPrimitive()
        || !(field.getLogicalTypeAnnotation()
            instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
      return null;
    }
    GroupType list = field.asGroupType();
    if (list.getFieldCount() != 1) {
      return null;
    }
    Type repeated = list.getType(0);
    if (repeated.isPrimitive() || !repeated.isRepetition(Type.Repetition.REPEATED)
        || repeated.asGroupType().getFieldCount() != 1) {
      return null;
    }
    Type element = repeated.asGroupType().getType(0);
    PrimitiveTypeName values = binding.encoding() == ColumnBinding.VectorEncoding.LIST_DOUBLE
        ? PrimitiveTypeName.DOUBLE : PrimitiveTypeName.FLOAT;
    if (!element.isPrimitive() || element.isRepetition(Type.Repetition.REPEATED)
        || element.asPrimitiveType().getPrimitiveTypeName() != values) {
      return null;
    }
    ColumnDescriptor column = schema.getColumnDescription(
        new String[] {field.getName(), repeated.getName(), element.getName()});
    return new VectorColumn(column, true, schema.getMaxDefinitionLevel(field.getName()),
        schema.getMaxDefinitionLevel(field.getName(), repeated.getName()));
  }

  /** The writer version column readers use to work around old writers' bugs; null if unknown. */
  private static VersionParser.ParsedVersion writerVersion(String createdBy) {
    try {
      return VersionParser.parse(createdBy);
    } catch (RuntimeException | VersionParser.VersionParseException e) {
      return null;
    }
  }

  /**
   * The vector column and, for a list, the definition levels that tell its rows apart: below
   * {@code listDefined} the list is null; from there to below {@code elementDefined} it is empty;
   * at the column's maximum the element has a value, below it the element is null.
   */
  private record VectorColumn(ColumnDescriptor descriptor, boolean isList, int listDefined,
      int elementDefined) {
  }

  /**
   * Walks the row groups of one file, row by row, and hands each live row to the accumulator.
   * Every value of the current row is taken from the columns before they move on.
   */
  private static final class RowGroupReader {
    private final String file;
    private final ColumnBinding.IdKind idKind;
    private final ColumnDescriptor idColumn;
    private final VectorColumn vectorColumn;
    private final PositionDeleteIndex deleted;
    private final RowAccumulator acc;
    /** The current row's vector: the first {@link #length} floats of this array. */
    private float[] vector = new float[256];
    /** The current row's vector length, or -1 for a null vector. */
    private int length;
    /** The current row's first null list element, or -1. */
    private int nullAt;
    /** The byte length of the current row's binary vector if not a multiple of 4, else -1. */
    private int badBytes;

    RowGroupReader(String file, ColumnBinding binding, ColumnDescriptor idColumn,
        VectorColumn vectorColumn, PositionDeleteIndex deleted, RowAccumulator acc) {
      this.file = file;
      this.idKind = binding.idKind();
      this.idColumn = idColumn;
      this.vectorColumn = vectorColumn;
      this.deleted = deleted;
      this.acc = acc;
    }

    void read(PageReadStore pages, VersionParser.ParsedVersion writer) throws IOException {
      long rowCount = pages.getRowCount();
      if (rowCount == 0) {
        return;
      }
      long first = pages.getRowIndexOffset().orElseThrow(() -> new IllegalStateException(
          "parquet-mr gave no first row index for a row group of " + file));
      PageColumn ids = new PageColumn(idColumn, pages.getPageReader(idColumn), writer);
      boolean idInt64 =
          idColumn.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64;
      int idDefined = idColumn.getMaxDefinitionLevel();
      PageColumn vectors = null;
      if (vectorColumn != null) {
        ColumnDescriptor column = vectorColumn.descriptor;
        vectors = new PageColumn(column, pages.getPageReader(column), writer);
      }
      for (long row = 0; row < rowCount; row++) {
        long pos = first + row;
        if (ids.exhausted() || (vectors != null && vectors.exhausted())) {
          throw new ParquetDecodingException(String.format(Locale.ROOT,
              "a column of %s ends before row %d of a row group of %d rows", file, row,
              rowCount));
        }
        boolean hasId = ids.definition() == idDefined;
        long id = 0;
        String stringId = null;
        if (hasId && idKind == ColumnBinding.IdKind.STRING) {
          stringId = ids.nextBinary().toStringUsingUTF8();
        } else if (hasId) {
          id = idInt64 ? ids.nextLong() : ids.nextInt();
        }
        ids.advance();
        if (vectors != null) {
          if (vectorColumn.isList) {
            readList(vectors);
          } else {
            readBinary(vectors);
          }
        }
        if (deleted.isDeleted(pos)) {
          continue;
        }
        if (!hasId) {
          throw acc.nullId(file, pos);
        }
        if (vectors == null) {
          acc.addPosition(pos);
        } else if (length < 0) {
          acc.addNull(pos);
        } else if (nullAt >= 0) {
          throw acc.nullElement(file, pos, shown(id, stringId), nullAt);
        } else if (badBytes >= 0) {
          throw acc.notFloat32(file, pos, shown(id, stringId), badBytes);
        } else {
          acc.add(file, pos, id, stringId, vector, length);
        }
      }
    }

    /** The id as messages show it: the string, or the number. */
    private static Object shown(long id, String stringId) {
      return stringId != null ? stringId : (Object) id;
    }

    /** Reads one row's list into {@link #vector}. */
    private void readList(PageColumn column) throws IOException {
      int elementValue = vectorColumn.descriptor.getMaxDefinitionLevel();
      int def = column.definition();
      length = 0;
      nullAt = -1;
      badBytes = -1;
      if (def < vectorColumn.elementDefined) {
        // One level pair stands for the null or the empty list.
        length = def < vectorColumn.listDefined ? -1 : 0;
        column.advance();
        return;
      }
      length = column.copyPresentRow(vector);
      if (length >= 0) {
        return;
      }
      length = 0;
      while (true) {
        if (length == vector.length) {
          vector = Arrays.copyOf(vector, length * 2);
        }
        if (def == elementValue) {
          vector[length] = column.nextFloat();
        } else if (nullAt < 0) {
          nullAt = length;
        }
        length++;
        // A repetition level of 0 starts the next row.
        if (!column.advance() || column.repetition() == 0) {
          return;
        }
        def = column.definition();
      }
    }

    /** Reads one row's binary value as little-endian float32 into {@link #vector}. */
    private void readBinary(PageColumn column) throws IOException {
      nullAt = -1;
      badBytes = -1;
      if (column.definition() < vectorColumn.descriptor.getMaxDefinitionLevel()) {
        length = -1;
      } else {
        Binary value = column.nextBinary();
        int bytes = value.length();
        if (bytes % Float.BYTES != 0) {
          badBytes = bytes;
          length = 0;
        } else {
          length = bytes / Float.BYTES;
          if (vector.length < length) {
            vector = new float[Math.max(length, vector.length * 2)];
          }
          value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
              .get(vector, 0, length);
        }
      }
      column.advance();
    }
  }

  /**
   * A cursor over the (repetition level, definition level, value) triples of one column chunk,
   * page by page, as parquet-mr's own column reader decodes them (page v1 and v2, every value
   * encoding, dictionaries), but with each page's levels decoded into arrays at once and a float
   * or double column's values too (doubles rounded to float32), plain-encoded ones in one bulk
   * copy. Starts at the first triple; a
   * value is taken, in order, only for triples whose definition level is the column's maximum.
   */
  private static final class PageColumn {
    private final ColumnDescriptor column;
    private final PageReader pages;
    private final VersionParser.ParsedVersion writer;
    private final Dictionary dictionary;
    private final int maxDefinition;
    /** The column holds floats or doubles, decoded per page into {@link #floatValues}. */
    private final boolean floats;
    private final boolean doubles;
    private double[] doubleValues = new double[0];
    private int[] repetitions = new int[0];
    private int[] definitions = new int[0];
    private int count;
    private int at;
    private ValuesReader values;
    private float[] floatValues = new float[0];
    private int floatAt;

    PageColumn(ColumnDescriptor column, PageReader pages, VersionParser.ParsedVersion writer)
        throws IOException {
      this.column = column;
      this.pages = pages;
      this.writer = writer;
      DictionaryPage dictionaryPage = pages.readDictionaryPage();
      this.dictionary = dictionaryPage == null
          ? null
          : dictionaryPage.getEncoding().initDictionary(column, dictionaryPage);
      this.maxDefinition = column.getMaxDefinitionLevel();
      PrimitiveTypeName physical = column.getPrimitiveType().getPrimitiveTypeName();
      this.doubles = physical == PrimitiveTypeName.DOUBLE;
      this.floats = doubles || physical == PrimitiveTypeName.FLOAT;
      nextPage();
    }

    /** Whether the chunk has no triple left. */
    boolean exhausted() {
      return at >= count;
    }

    int repetition() {
      return repetitions[at];
    }

    int definition() {
      return definitions[at];
    }

    float nextFloat() {
      return floatValues[floatAt++];
    }

    long nextLong() {
      return values.readLong();
    }

    int nextInt() {
      return values.readInteger();
    }

    Binary nextBinary() {
      return values.readBytes();
    }

    /**
     * The common case of a list column in one step: if the current row ends inside this page and
     * every element has a value, copies them into {@code out} (when they fit), moves to the next
     * row's first triple and returns their number; otherwise returns -1 and moves nowhere.
     */
    int copyPresentRow(float[] out) {
      int end = at + 1;
      while (end < count && repetitions[end] != 0) {
        end++;
      }
      int n = end - at;
      if (end == count || n > out.length) {
        return -1;
      }
      for (int i = at; i < end; i++) {
        if (definitions[i] != maxDefinition) {
          return -1;
        }
      }
      System.arraycopy(floatValues, floatAt, out, 0, n);
      floatAt += n;
      at = end;
      return n;
    }

    /** Moves to the next triple; false at the end of the chunk. */
    boolean advance() throws IOException {
      if (++at < count) {
        return true;
      }
      return nextPage();
    }

    private boolean nextPage() throws IOException {
      DataPage page;
      do {
        page = pages.readPage();
        if (page == null) {
          count = 0;
          at = 0;
          return false;
        }
      } while (page.getValueCount() == 0);
      count = page.getValueCount();
      at = 0;
      if (repetitions.length < count) {
        repetitions = new int[count];
        definitions = new int[count];
      }
      ByteBufferInputStream data;
      Encoding encoding;
      if (page instanceof DataPageV1 v1) {
        data = v1.getBytes().toInputStream();
        levelsV1(v1.getRlEncoding(), ValuesType.REPETITION_LEVEL,
            column.getMaxRepetitionLevel(), data, repetitions);
        levelsV1(v1.getDlEncoding(), ValuesType.DEFINITION_LEVEL, maxDefinition, data,
            definitions);
        encoding = v1.getValueEncoding();
      } else {
        DataPageV2 v2 = (DataPageV2) page;
        levelsV2(column.getMaxRepetitionLevel(), v2.getRepetitionLevels(), repetitions);
        levelsV2(maxDefinition, v2.getDefinitionLevels(), definitions);
        data = v2.getData().toInputStream();
        encoding = v2.getDataEncoding();
      }
      if (floats && encoding == Encoding.PLAIN) {
        int present = present();
        ensureFloats(present);
        if (doubles) {
          if (doubleValues.length < present) {
            doubleValues = new double[present];
          }
          data.slice(present * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer()
              .get(doubleValues, 0, present);
          for (int i = 0; i < present; i++) {
            floatValues[i] = (float) doubleValues[i];
          }
        } else {
          data.slice(present * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
              .get(floatValues, 0, present);
        }
        values = null;
      } else {
        values = valuesReader(encoding, data);
        if (floats) {
          int present = present();
          ensureFloats(present);
          for (int i = 0; i < present; i++) {
            floatValues[i] = doubles ? (float) values.readDouble() : values.readFloat();
          }
        }
      }
      floatAt = 0;
      return true;
    }

    /** The page's values reader, set up as parquet-mr's column reader sets it up. */
    private ValuesReader valuesReader(Encoding encoding, ByteBufferInputStream data)
        throws IOException {
      ValuesReader previous = values;
      ValuesReader reader;
      if (encoding.usesDictionary()) {
        if (dictionary == null) {
          throw new ParquetDecodingException("a page of column " + column + " is " + encoding
              + "-encoded but its column chunk has no dictionary page; the file is corrupt");
        }
        reader = encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, dictionary);
      } else {
        reader = encoding.getValuesReader(column, ValuesType.VALUES);
      }
      reader.initFromPage(count, data);
      if (CorruptDeltaByteArrays.requiresSequentialReads(writer, encoding)
          && reader instanceof RequiresPreviousReader sequential) {
        sequential.setPreviousReader(previous);
      }
      return reader;
    }

    /** The page's triples that carry a value. */
    private int present() {
      int present = 0;
      for (int i = 0; i < count; i++) {
        if (definitions[i] == maxDefinition) {
          present++;
        }
      }
      return present;
    }

    private void ensureFloats(int n) {
      if (floatValues.length < n) {
        floatValues = new float[n];
      }
    }

    /**
     * Decodes a v1 page's levels, which {@code data} starts with, into {@code out}: RLE levels
     * (a 4-byte length, then the hybrid runs) in bulk, any other encoding through parquet-mr's
     * reader for it. A maximum level of 0 takes no bytes.
     */
    private void levelsV1(Encoding encoding, ValuesType type, int maxLevel,
        ByteBufferInputStream data, int[] out) throws IOException {
      if (maxLevel == 0) {
        Arrays.fill(out, 0, count, 0);
        return;
      }
      if (encoding == Encoding.RLE) {
        int length = BytesUtils.readIntLittleEndian(data);
        decodeHybrid(data.slice(length), BytesUtils.getWidthFromMaxInt(maxLevel), out);
        return;
      }
      ValuesReader reader = encoding.getValuesReader(column, type);
      reader.initFromPage(count, data);
      for (int i = 0; i < count; i++) {
        out[i] = reader.readInteger();
      }
    }

    /** Decodes a v2 page's RLE levels (absent when the maximum level is 0) into {@code out}. */
    private void levelsV2(int maxLevel, BytesInput bytes, int[] out) throws IOException {
      if (maxLevel == 0) {
        Arrays.fill(out, 0, count, 0);
        return;
      }
      decodeHybrid(bytes.toInputStream().slice((int) bytes.size()),
          BytesUtils.getWidthFromMaxInt(maxLevel), out);
    }

    /**
     * Decodes {@link #count} values of Parquet's RLE/bit-packing hybrid encoding into {@code out},
     * a run at a time: a varint header whose low bit 0 means a run of {@code header >>> 1} copies
     * of one value (in {@code ceil(bitWidth / 8)} little-endian bytes), 1 means {@code header >>>
     * 1} groups of 8 values packed in {@code bitWidth} bytes each.
     */
    private void decodeHybrid(ByteBuffer in, int bitWidth, int[] out) throws IOException {
      BytePacker packer = Packer.LITTLE_ENDIAN.newBytePacker(bitWidth);
      ByteBuffer shortGroup = null;
      int[] eight = new int[8];
      int valueBytes = (bitWidth + 7) / 8;
      int i = 0;
      while (i < count) {
        if (!in.hasRemaining()) {
          throw new ParquetDecodingException("the levels of a page of column " + column
              + " end after " + i + " of its " + count + " values; the file is corrupt");
        }
        int header = readUnsignedVarInt(in);
        if ((header & 1) == 0) {
          int value = 0;
          for (int b = 0; b < valueBytes; b++) {
            value |= (in.get() & 0xFF) << (8 * b);
          }
          int end = (int) Math.min(count, (long) i + (header >>> 1));
          Arrays.fill(out, i, end, value);
          i = end;
        } else {
          for (int g = header >>> 1; g > 0 && i < count; g--) {
            if (in.remaining() >= bitWidth) {
              packer.unpack8Values(in, in.position(), eight, 0);
              in.position(in.position() + bitWidth);
            } else {
              // The last group may be cut short at the end of the page's bytes: pad it with 0.
              shortGroup = shortGroup == null ? ByteBuffer.allocate(bitWidth) : shortGroup;
              shortGroup.clear();
              shortGroup.put(in);
              while (shortGroup.hasRemaining()) {
                shortGroup.put((byte) 0);
              }
              packer.unpack8Values(shortGroup, 0, eight, 0);
            }
            int take = Math.min(8, count - i);
            System.arraycopy(eight, 0, out, i, take);
            i += take;
          }
        }
      }
    }

    private static int readUnsignedVarInt(ByteBuffer in) {
      int value = 0;
      int shift = 0;
      int b;
      do {
        b = in.get() & 0xFF;
        value |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0 && shift < 35);
      return value;
    }
  }

  /** An Iceberg input file as parquet-mr's, reading through the table's FileIO. */
  private static final class Input implements InputFile {
    private final org.apache.iceberg.io.InputFile file;

    Input(org.apache.iceberg.io.InputFile file) {
      this.file = file;
    }

    @Override
    public long getLength() {
      return file.getLength();
    }

    @Override
    public SeekableInputStream newStream() {
      org.apache.iceberg.io.SeekableInputStream stream = file.newStream();
      return new DelegatingSeekableInputStream(stream) {
        @Override
        public long getPos() throws IOException {
          return stream.getPos();
        }

        @Override
        public void seek(long newPos) throws IOException {
          stream.seek(newPos);
        }
      };
    }
  }
}
